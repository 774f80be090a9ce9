package dev.cairn.backup.benchmarks;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole backup pipeline (walk, read, chunk, hash, compress, encrypt, pack, write to a local
 * repository) on generated mixed data: half text-like, a third random, a fifth duplicated, plus
 * thousands of small files. Reports seconds per first backup of {@code sizeMiB} MiB.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -jar backup-benchmarks/target/benchmarks.jar PipelineBenchmark -p sizeMiB=512
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class PipelineBenchmark {
  /** Size of the generated corpus in MiB. */
  @Param({"256"})
  public int sizeMiB;

  private Path corpus;
  private Path repo;
  private Repository repository;

  /** Generates the corpus once. */
  @Setup(Level.Trial)
  public void generate() throws IOException {
    corpus = Files.createTempDirectory("cairn-bench-corpus");
    Random r = new Random(1);
    long total = (long) sizeMiB << 20;
    long text = total / 2;
    long random = total / 3;
    writeText(corpus.resolve("text"), text, r);
    Path rnd = Files.createDirectories(corpus.resolve("random"));
    byte[] block = new byte[1 << 20];
    for (long done = 0, i = 0; done < random; done += block.length, i++) {
      r.nextBytes(block);
      Files.write(rnd.resolve("r" + (i / 16) + ".bin"), block, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
    Path dup = Files.createDirectories(corpus.resolve("dup"));
    try (Stream<Path> s = Files.list(rnd)) {
      List<Path> files = s.sorted().toList();
      for (int i = 0; i < files.size() / 2 + 1 && i < files.size(); i++) {
        Files.copy(files.get(i), dup.resolve("copy-" + files.get(i).getFileName()));
      }
    }
    Path small = Files.createDirectories(corpus.resolve("small"));
    for (int i = 0; i < 5000; i++) {
      Path d = Files.createDirectories(small.resolve("d" + (i % 50)));
      Files.writeString(d.resolve("f" + i + ".yaml"), "key" + i + ": value " + r.nextInt() + "\n");
    }
  }

  private static void writeText(Path dir, long bytes, Random r) throws IOException {
    Files.createDirectories(dir);
    String[] words = "the quick brown fox jumps over lazy dog backup chunk pack index snapshot tree host".split(" ");
    long done = 0;
    for (int f = 0; done < bytes; f++) {
      try (OutputStream out = Files.newOutputStream(dir.resolve("t" + f + ".log"))) {
        StringBuilder sb = new StringBuilder();
        for (long n = 0; n < (32 << 20) && done < bytes; ) {
          sb.setLength(0);
          sb.append(r.nextInt(1_000_000)).append(' ');
          for (int w = 0; w < 10; w++) {
            sb.append(words[r.nextInt(words.length)]).append(' ');
          }
          sb.append('\n');
          byte[] line = sb.toString().getBytes(StandardCharsets.UTF_8);
          out.write(line);
          n += line.length;
          done += line.length;
        }
      }
    }
  }

  /** A fresh, open repository per measured backup (key derivation is not measured). */
  @Setup(Level.Invocation)
  public void freshRepository() throws IOException {
    repo = Files.createTempDirectory("cairn-bench-repo");
    repository = Repository.builder(Storages.local(repo)).passphrase(Secret.of("bench")).init();
  }

  /** One first backup of the corpus. */
  @Benchmark
  public long firstBackup() {
    BackupReport report = repository.backup(List.of(FileSource.of(corpus)));
    return report.bytesStored();
  }

  /** Closes and deletes the repository. */
  @TearDown(Level.Invocation)
  public void deleteRepository() throws IOException {
    repository.close();
    delete(repo);
  }

  /** Deletes the corpus. */
  @TearDown(Level.Trial)
  public void deleteCorpus() throws IOException {
    delete(corpus);
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
