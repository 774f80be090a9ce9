package dev.cairn.backup.benchmarks;

import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compression;
import dev.cairn.backup.internal.compress.Compressor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Compression of a 1 MiB chunk with the repository's {@link Compressor}, per codec and level, on
 * text-like data and on random data (which is tried, found not to shrink, and stored raw), plus
 * decompression of the text chunk. Score: MiB/s of plaintext.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -jar backup-benchmarks/target/benchmarks.jar CompressBenchmark -f 1 -wi 5 -i 5
 * java -jar backup-benchmarks/target/benchmarks.jar CompressBenchmark -p codec=zstd -p level=1,3 -f 1
 * </pre>
 */
public class CompressBenchmark extends MibBenchmark {
  /** The codec name. */
  @Param({"none", "zstd"})
  public String codec;

  /** The level (ignored by none). */
  @Param({"1", "3", "6"})
  public int level;

  private byte[] text;
  private byte[] random;
  private byte[] out;
  private byte[] compressedText;
  private int compressedLength;
  private byte[] restored;
  private Compressor compressor;
  private Codec storedCodec;

  /** Builds the inputs and the compressor. */
  @Setup(Level.Trial)
  public void setUp() {
    text = BenchmarkData.text(BenchmarkData.MIB, 3);
    random = BenchmarkData.random(BenchmarkData.MIB, 3);
    out = new byte[BenchmarkData.MIB];
    Codec c = Codec.fromName(codec);
    compressor = new Compressor(c == Codec.NONE ? Compression.none() : new Compression(c, level));
    compressedText = new byte[BenchmarkData.MIB];
    compressedLength = compressor.compress(text, 0, text.length, compressedText, 0, compressedText.length);
    storedCodec = compressedLength < 0 ? Codec.NONE : c;
    if (compressedLength < 0) {
      compressedText = text;
      compressedLength = text.length;
    }
    restored = new byte[BenchmarkData.MIB];
    System.out.printf("%n%s level %d: text 1 MiB -> %d bytes (ratio %.2f)%n", codec, level, compressedLength,
        (double) text.length / compressedLength);
  }

  /** Frees the native context. */
  @TearDown(Level.Trial)
  public void tearDown() {
    compressor.close();
  }

  /** Compresses text-like data. */
  @Benchmark
  public int compressText() {
    return compressor.compress(text, 0, text.length, out, 0, out.length);
  }

  /** Tries random data (does not shrink: stored raw). */
  @Benchmark
  public int compressRandom() {
    return compressor.compress(random, 0, random.length, out, 0, out.length);
  }

  /** Decompresses the text chunk. */
  @Benchmark
  public byte[] decompressText() {
    Compressor.decompress(storedCodec, compressedText, 0, compressedLength, restored, 0, text.length, "bench");
    return restored;
  }
}
