package dev.cairn.backup.benchmarks;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The repository's write path end to end on one thread of input: chunk 128 MiB of mixed data (half
 * text-like, half random) with the repository's chunker, compute every chunk id, {@code addBlob}
 * (compression and encryption on the worker pool, uploads to a local directory with fsync) and
 * {@code flush}, into a fresh repository each time. The ceiling for a backup's hot path without
 * tree and file-system work. Score: MiB/s of input.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -jar backup-benchmarks/target/benchmarks.jar RepositoryWriteBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class RepositoryWriteBenchmark extends MibBenchmark {
  private static final int SIZE_MIB = 128;

  /** zstd level (the repository default is 3). */
  @Param({"3"})
  public int level;

  private byte[] data;
  private Path dir;
  private EncryptedRepository repo;
  private Chunker chunker;

  /** Builds the input. */
  @Setup(Level.Trial)
  public void setUpData() {
    data = BenchmarkData.mixed(SIZE_MIB * BenchmarkData.MIB, 6);
  }

  /** A fresh repository per operation, so nothing deduplicates. */
  @Setup(Level.Invocation)
  public void setUpRepository() throws IOException {
    dir = Files.createTempDirectory("cairn-bench");
    repo = EncryptedRepository.init(new LocalStorage(dir), Secret.of("bench"), RepositoryOptions.builder()
        .argon2(new Argon2Parameters(1024, 1, 1))
        .compression(dev.cairn.backup.internal.compress.Compression.zstd(level))
        .build());
    chunker = repo.newChunker();
  }

  /** Closes and deletes the repository. */
  @TearDown(Level.Invocation)
  public void tearDownRepository() throws IOException {
    repo.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Chunk, id, add, flush. */
  @Benchmark
  @OperationsPerInvocation(SIZE_MIB)
  public long write() throws IOException {
    chunker.chunk(new ByteArrayInputStream(data), (b, off, len) -> {
      ObjectId id = repo.chunkId(b, off, len);
      repo.addBlob(BlobType.DATA, id, b, off, len);
    });
    repo.flush();
    return repo.stats().uploadedPackBytes();
  }
}
