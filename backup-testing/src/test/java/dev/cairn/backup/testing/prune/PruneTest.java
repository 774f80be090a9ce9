package dev.cairn.backup.testing.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.PruneReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Retention;
import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Forget and prune on real repositories: a prune killed (SIGKILL, separate JVM) at every phase, a
 * prune that waits for a backup running in another process, and the space a prune frees.
 */
class PruneTest {
  static final String PASSPHRASE = "prune test passphrase";
  private static final int FILE = 256 * 1024;
  private static final int SNAPSHOTS = 12;

  @TempDir static Path shared;
  private static Path template;
  @TempDir Path tmp;

  static Repository.Builder builder(Storage storage) {
    return Repository.builder(storage).passphrase(Secret.of(PASSPHRASE)).keyDerivation(1024, 1, 1);
  }

  /** Deterministic incompressible content. */
  static byte[] content(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * Snapshot {@code i} holds {@code a-i} (only in it), {@code b-i} (also in snapshot i+1) and
   * {@code b-(i-1)}: forgetting the older half leaves one pack partly used (repacked) and the others
   * unused (deleted).
   */
  static void writeTree(Path src, int i) throws IOException {
    clear(src, "");
    Files.createDirectories(src);
    Files.write(src.resolve("a-" + i + ".bin"), content(2L * i, FILE));
    Files.write(src.resolve("b-" + i + ".bin"), content(2L * i + 1, FILE));
    if (i > 0) {
      Files.write(src.resolve("b-" + (i - 1) + ".bin"), content(2L * (i - 1) + 1, FILE));
    }
  }

  /** Deletes the files in {@code dir} whose names start with {@code prefix}. */
  static void clear(Path dir, String prefix) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          if (p.getFileName().toString().startsWith(prefix)) {
            Files.delete(p);
          }
        }
      }
    }
  }

  static void assertRestores(Repository repo, Snapshot s, int i, Path dest) throws IOException {
    repo.restore(RestoreRequest.builder().snapshot(s.id().hex()).destination(dest).build());
    assertThat(Files.readAllBytes(dest.resolve("a-" + i + ".bin"))).isEqualTo(content(2L * i, FILE));
    assertThat(Files.readAllBytes(dest.resolve("b-" + i + ".bin"))).isEqualTo(content(2L * i + 1, FILE));
  }

  static long storedBytes(Storage storage, String prefix) throws IOException {
    return storage.list(prefix).stream().mapToLong(StorageObject::size).sum();
  }

  /** Twelve snapshots, the older six forgotten: what every kill test starts from. */
  @BeforeAll
  static void buildTemplate() throws Exception {
    template = shared.resolve("template");
    Path src = shared.resolve("src");
    // one worker: each backup writes one pack, so the pack of the newest forgotten snapshot is partly used
    try (Repository repo = builder(Storages.local(template)).workers(1).init()) {
      for (int i = 0; i < SNAPSHOTS; i++) {
        writeTree(src, i);
        repo.backup(List.of(FileSource.of(src)));
        Thread.sleep(5); // distinct times, so keepLast has one answer
      }
      RetentionPlan plan = repo.forget(Retention.policy().keepLast(SNAPSHOTS / 2), false);
      assertThat(plan.remove()).hasSize(SNAPSHOTS / 2);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  private static ProcessBuilder java(Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  /** Checks what a user checks after a crash: unlock, verify reading all data, restore every snapshot. */
  private void assertIntact(Path repoDir, String when) throws IOException {
    try (Repository repo = builder(Storages.local(repoDir)).open()) {
      repo.unlock(true);
      assertThat(repo.verify(true).problems()).as(when).isEmpty();
      List<Snapshot> kept = repo.snapshots();
      assertThat(kept).hasSize(SNAPSHOTS / 2);
      kept = new ArrayList<>(kept);
      kept.sort(Comparator.comparing(Snapshot::time));
      for (int k = 0; k < kept.size(); k++) {
        assertRestores(repo, kept.get(k), SNAPSHOTS / 2 + k, tmp.resolve("restore-" + when.replace(' ', '-') + "-" + k));
      }
    }
  }

  @ParameterizedTest(name = "killed at {0} step {1}")
  @CsvSource({
      "MARK, 0", "PLAN, 0", "REPACK, 1", "WRITE_INDEX, 0", "WRITE_INDEX, 1",
      "DELETE_INDEX, 1", "DELETE_INDEX, 6", "DELETE_PACKS, 1", "DELETE_PACKS, 4", "DONE, 1"})
  void pruneKilledAtAnyPhaseLosesNothingAndTheNextPruneFinishes(String phase, int step) throws Exception {
    Path repoDir = tmp.resolve("repo");
    copyTree(template, repoDir);
    Path log = tmp.resolve("child.log");
    Process p = java(PruneMain.class, repoDir.toString(), phase, Integer.toString(step)).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.isAlive() && !Files.readString(log).contains("STOPPED") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Files.readString(log)).as("the child reaches %s %s", phase, step).contains("STOPPED");
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertIntact(repoDir, "after kill at " + phase + " " + step);

    Storage storage = Storages.local(repoDir);
    try (Repository repo = builder(storage).open()) {
      PruneReport again = repo.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      assertThat(again.unusedAfter()).isZero();
      PruneReport nothingLeft = repo.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).dryRun(true).build());
      assertThat(nothingLeft.packsDeleted() + nothingLeft.packsRepacked()).as("nothing left to prune").isZero();
      assertThat(nothingLeft.unusedBytes()).isZero();
    }
    assertIntact(repoDir, "after the next prune");
    // the data and tree packs of the six kept snapshots, plus the one holding the blob repacked out of the seventh
    assertThat(storage.list("data/")).hasSize(SNAPSHOTS / 2 * 2 + 1);
    assertThat(storage.list("index/")).hasSize(1);
  }
}
