package dev.cairn.backup.testing.prune;

import static dev.cairn.backup.testing.prune.PruneTest.builder;
import static dev.cairn.backup.testing.prune.PruneTest.content;
import static dev.cairn.backup.testing.prune.PruneTest.storedBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.PruneReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Retention;
import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune next to a running backup, after another session's prune, and the space it frees. */
class PruneConcurrencyAndSpaceTest {
  private static final PruneOptions ALL_NOW = PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build();
  @TempDir Path tmp;

  private static void write(Path dir, String name, byte[] data) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), data);
  }

  private static void clear(Path dir) throws IOException {
    PruneTest.clear(dir, "");
  }

  /** {@code count} backups of {@code src}, each holding one file of its own. */
  private static void backupSeries(Repository repo, Path src, int count, long seed, int size) throws Exception {
    for (int i = 0; i < count; i++) {
      clear(src);
      write(src, "f-" + i + ".bin", content(seed + i, size));
      repo.backup(List.of(FileSource.of(src)));
      Thread.sleep(5); // distinct times, so keepLast has one answer
    }
  }

  private static Path find(Path root, String name) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
    }
  }

  @Test
  void pruneWaitsForABackupInAnotherProcessWhoseSnapshotThenRestores() throws Exception {
    Path repoDir = tmp.resolve("repo");
    Path src = tmp.resolve("src");
    try (Repository repo = builder(Storages.local(repoDir)).init()) {
      backupSeries(repo, src, 4, 100, 300_000);
      repo.forget(Retention.policy().keepLast(2), false);
    }
    int size = 12 << 20; // ~4 s at 64 KiB per 20 ms: long enough to find its lock held
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), SlowBackupMain.class.getName(),
        repoDir.toString(), "77", Integer.toString(size)));
    Process backup = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Storage storage = Storages.local(repoDir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (storage.list("locks/").isEmpty() && backup.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(storage.list("locks/")).as("the backup holds its shared lock").isNotEmpty();

    PruneReport report;
    try (Repository repo = builder(storage).open()) {
      assertThatThrownBy(() -> repo.prune(ALL_NOW))
          .as(() -> "without lockWait prune refuses at once, naming the backup's lock; the backup "
              + (backup.isAlive() ? "is still running" : "ended with " + backup.exitValue() + ": " + outputOf(backup)))
          .isInstanceOf(RepositoryLockedException.class).hasMessageContaining("shared lock");
      assertThat(repo.prune(ALL_NOW.toBuilder().dryRun(true).build()).dryRun())
          .as("a dry run shares the repository with the backup").isTrue();
      report = repo.prune(ALL_NOW.toBuilder().lockWait(Duration.ofMinutes(2)).build());
    }
    String out = new String(backup.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(backup.exitValue()).as(out).isZero();
    assertThat(out).contains("SNAPSHOT ");
    String id = out.replaceAll("(?s).*SNAPSHOT ([0-9a-f]{64}).*", "$1");
    assertThat(report.packsDeleted() + report.packsRepacked()).as("prune did remove the forgotten data").isPositive();
    assertThat(report.snapshots()).as("prune ran after the backup and saw its snapshot").isEqualTo(3);

    try (Repository repo = builder(storage).open()) {
      assertThat(repo.verify(true).problems()).isEmpty();
      Path dest = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().snapshot(id).destination(dest).build());
      assertThat(Files.readAllBytes(find(dest, "slow.bin"))).isEqualTo(content(77, size));
      List<Snapshot> kept = repo.snapshots();
      assertThat(kept).hasSize(3);
    }
  }

  @Test
  void aSessionOpenedBeforeAnotherProcessPrunedDoesNotReuseDeletedData() throws Exception {
    Path repoDir = tmp.resolve("repo");
    Path src = tmp.resolve("src");
    byte[] first = content(1, 300_000);
    try (Repository a = builder(Storages.local(repoDir)).init()) {
      write(src, "x.bin", first);
      a.backup(List.of(FileSource.of(src)));
      Thread.sleep(5);
      clear(src);
      write(src, "y.bin", content(2, 300_000));
      a.backup(List.of(FileSource.of(src)));
      try (Repository b = builder(Storages.local(repoDir)).open()) {
        b.forget(Retention.policy().keepLast(1), false);
        assertThat(b.prune(ALL_NOW).packsDeleted()).isPositive();
      }
      // a still has the old index in memory; x.bin's chunk is gone from the repository
      clear(src);
      write(src, "x.bin", first);
      assertThat(a.backup(List.of(FileSource.of(src))).bytesNew()).as("x.bin is stored again").isGreaterThanOrEqualTo(first.length);
    }
    try (Repository fresh = builder(Storages.local(repoDir)).open()) {
      assertThat(fresh.verify(true).problems()).isEmpty();
      Path dest = tmp.resolve("restored");
      fresh.restore(RestoreRequest.builder().snapshot("latest").destination(dest).build());
      assertThat(Files.readAllBytes(find(dest, "x.bin"))).isEqualTo(first);
    }
  }

  @Test
  void leavesPacksYoungerThanTheSafetyWindowAlone() throws Exception {
    Path repoDir = tmp.resolve("repo");
    Path src = tmp.resolve("src");
    try (Repository repo = builder(Storages.local(repoDir)).init()) {
      backupSeries(repo, src, 3, 200, 200_000);
      repo.forget(Retention.policy().keepLast(1), false);
      long before = storedBytes(Storages.local(repoDir), "data/");
      PruneReport young = repo.prune(PruneOptions.DEFAULTS); // 1 hour window: everything was just written
      assertThat(young.packsDeleted() + young.packsRepacked()).isZero();
      assertThat(young.packsTooNew()).isPositive();
      assertThat(storedBytes(Storages.local(repoDir), "data/")).isEqualTo(before);
      PruneReport now = repo.prune(ALL_NOW);
      assertThat(now.packsDeleted()).isPositive();
      assertThat(storedBytes(Storages.local(repoDir), "data/")).isLessThan(before);
    }
  }

  @Test
  void forgetAndPruneOfHalfOfTwentySnapshotsFreesWhatTheRestNoLongerNeed() throws Exception {
    Path repoDir = tmp.resolve("repo");
    Path src = tmp.resolve("src");
    int unique = 256 * 1024;
    Storage storage = Storages.local(repoDir);
    try (Repository repo = builder(storage).init()) {
      write(src, "common.bin", content(999, 1 << 20));
      for (int i = 0; i < 20; i++) {
        PruneTest.clear(src, "unique-");
        write(src, "unique-" + i + ".bin", content(1000 + i, unique));
        repo.backup(List.of(FileSource.of(src)));
        Thread.sleep(5);
      }
      long before = storedBytes(storage, "");
      long packsBefore = storedBytes(storage, "data/");

      RetentionPlan dry = repo.forget(Retention.policy().keepLast(10), true);
      assertThat(dry.remove()).hasSize(10);
      assertThat(repo.snapshots()).as("a dry run deletes nothing").hasSize(20);
      repo.forget(Retention.policy().keepLast(10), false);
      PruneReport wouldFree = repo.prune(ALL_NOW.toBuilder().dryRun(true).build());
      assertThat(storedBytes(storage, "data/")).as("a dry run deletes nothing").isEqualTo(packsBefore);
      PruneReport pruned = repo.prune(ALL_NOW);
      long after = storedBytes(storage, "");
      long packsAfter = storedBytes(storage, "data/");

      // what the ten remaining snapshots no longer need: the ten forgotten unique files (random, so
      // stored at their own size plus a little encryption and pack overhead), and their small trees
      long expected = 10L * unique;
      System.out.printf("repository %d -> %d bytes (shrank %d); packs %d -> %d; unique data of the forgotten"
          + " snapshots %d; prune reported %d freed (dry run %d)%n", before, after, before - after, packsBefore,
          packsAfter, expected, pruned.bytesFreed(), wouldFree.bytesFreed());
      assertThat((double) (before - after)).isCloseTo(expected, within(expected * 0.05));
      assertThat((double) (packsBefore - packsAfter)).isCloseTo(pruned.bytesFreed(), within(pruned.bytesFreed() * 0.02));
      assertThat(wouldFree.bytesFreed()).isEqualTo(pruned.bytesFreed());
      assertThat(repo.verify(true).problems()).isEmpty();
      for (Snapshot s : repo.snapshots()) {
        Path dest = tmp.resolve("r-" + s.id().shortHex());
        repo.restore(RestoreRequest.builder().snapshot(s.id()).destination(dest).build());
        assertThat(Files.mismatch(find(dest, "common.bin"), src.resolve("common.bin"))).isEqualTo(-1);
      }
    }
  }

  /** What an ended process printed (for a failure message). */
  private static String outputOf(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
