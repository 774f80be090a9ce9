package dev.cairn.backup.benchmarks;

import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Setup;

/**
 * FastCDC chunking throughput with the default sizes (512 KiB / 1 MiB / 8 MiB) over a 64 MiB random
 * stream, through the pull API ({@code chunk(InputStream)}) and the push API ({@code write} in 64
 * KiB pieces, as the engine's OutputStream receives data). Score: MiB/s.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -jar backup-benchmarks/target/benchmarks.jar ChunkerBenchmark -f 1 -wi 5 -i 5
 * </pre>
 */
public class ChunkerBenchmark extends MibBenchmark {
  private static final int SIZE_MIB = 64;
  private byte[] data;
  private Chunker chunker;
  private long chunks;

  /** Builds the input and the chunker. */
  @Setup(Level.Trial)
  public void setUp() {
    data = BenchmarkData.random(SIZE_MIB * BenchmarkData.MIB, 1);
    chunker = new Chunker(ChunkerParams.defaults(), Chunker.gearTable(new byte[32]));
  }

  /** Pull: the chunker reads straight into its buffer. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public long pull() throws IOException {
    chunks = 0;
    chunker.chunk(new ByteArrayInputStream(data), (b, off, len) -> chunks++);
    return chunks;
  }

  /** Push: 64 KiB writes, as from an OutputStream. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public long push() throws IOException {
    chunks = 0;
    chunker.reset();
    for (int i = 0; i < data.length; i += 65536) {
      chunker.write(data, i, Math.min(65536, data.length - i), (b, off, len) -> chunks++);
    }
    chunker.finish((b, off, len) -> chunks++);
    return chunks;
  }
}
