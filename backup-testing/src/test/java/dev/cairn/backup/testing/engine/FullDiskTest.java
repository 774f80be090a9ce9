package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Retention;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup that fills the disk fails naming the full disk, and the repository stays usable. */
class FullDiskTest {
  @TempDir
  Path tmp;

  @RepeatedTest(5)
  void aFullDiskIsReportedAsSuchAndTheNextBackupWorks() throws Exception {
    Path src = randomFiles(tmp.resolve("src"), "f", 6, 1 << 20, 7);
    FaultyStorage disk = new FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.builder(disk).packSize(1 << 20).init()) {
      disk.capacity(2_500_000);
      assertThatThrownBy(() -> repo.backup(List.of(FileSource.of(src))))
          .isInstanceOf(BackupException.class)
          .hasStackTraceContaining("No space left on device");
      assertThat(repo.snapshots()).isEmpty();
    }
    disk.heal();
    try (Repository repo = TestRepos.open(disk)) {
      repo.backup(List.of(FileSource.of(src)));
      assertThat(repo.snapshots()).hasSize(1);
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }

  /**
   * A source writing one entry in try-with-resources: the write that meets the full disk throws, and
   * closing the entry must not throw the same failure again (Java would report "Self-suppression not
   * permitted" instead of the full disk, as FileSource did once in CI).
   */
  @Test
  void aSourceWritingInTryWithResourcesSeesTheFullDisk() throws Exception {
    Throwable[] seen = new Throwable[1];
    Source writer = new Source() {
      @Override
      public String name() {
        return "stream";
      }

      @Override
      public String type() {
        return "test-stream";
      }

      @Override
      public void backup(SourceContext context) throws IOException {
        byte[] block = new byte[64 * 1024];
        Random random = new Random(3);
        try (OutputStream out = context.newFile(EntryMetadata.stream("dump.bin"))) {
          for (int i = 0; i < 1600; i++) { // 100 MiB, far more than the disk holds
            random.nextBytes(block);
            out.write(block);
          }
        } catch (RuntimeException | IOException e) {
          seen[0] = e;
          throw e;
        }
      }
    };
    FaultyStorage disk = new FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.builder(disk).packSize(1 << 20).init()) {
      disk.capacity(1_500_000);
      assertThatThrownBy(() -> repo.backup(List.of(writer)))
          .isInstanceOf(BackupException.class)
          .hasStackTraceContaining("No space left on device");
    }
    assertThat(seen[0]).isInstanceOf(BackupException.class).hasStackTraceContaining("No space left on device");
  }

  private static final PruneOptions NOW = PruneOptions.builder().safetyWindow(Duration.ZERO).build();

  /** Writes {@code count} files of {@code size} random bytes, {@code prefix}0, {@code prefix}1, …, into {@code dir}. */
  private static Path randomFiles(Path dir, String prefix, int count, int size, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Files.write(dir.resolve(prefix + i), data);
    }
    return dir;
  }

  private static long stored(FaultyStorage disk) throws IOException {
    return disk.delegate().list("").stream().mapToLong(StorageObject::size).sum();
  }

  /**
   * Eight files of 256 KiB backed up in 1 MiB packs (with one worker: f0-f3 in the first, f4-f7 in the
   * second), then {@code forgotten} of them deleted and backed up again, the first snapshot forgotten: the
   * packs that held the deleted files are partly or wholly unused. Returns the snapshot kept.
   */
  private Snapshot partlyUnusedPacks(Repository repo, Path src, int... forgotten) throws IOException {
    randomFiles(src, "f", 8, 256 << 10, 11);
    repo.backup(List.of(FileSource.of(src)));
    for (int i : forgotten) {
      Files.delete(src.resolve("f" + i));
    }
    Snapshot kept = repo.backup(List.of(FileSource.of(src))).snapshot();
    repo.forget(Retention.policy().keepLast(1), false);
    return kept;
  }

  /**
   * The runbook's situation: a backup filled the disk, and prune is run to make room. The failed backup's
   * packs (no index names them) are what filled it, and prune deletes them anyway; but it deleted them
   * last, after repacking the partly used packs into new ones, which needs room first: the prune failed
   * with "No space left on device" and freed nothing, every time it was run.
   */
  @Test
  void pruneAfterABackupFilledTheDiskMakesRoomWithTheFailedBackupsPacksFirst() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path big = randomFiles(tmp.resolve("big"), "b", 3, 1 << 20, 5);
    FaultyStorage disk = new FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.builder(disk).packSize(1 << 20).workers(1).init()) {
      Snapshot kept = partlyUnusedPacks(repo, src, 0, 2, 4, 6);
      disk.capacity(stored(disk) + 2_500_000);
      assertThatThrownBy(() -> repo.backup(List.of(FileSource.of(big))))
          .hasStackTraceContaining("No space left on device");

      var report = repo.prune(NOW);
      assertThat(report.packsRepacked()).as("the partly used packs were repacked").isPositive();
      var verified = repo.verify(true);
      assertThat(verified.ok()).as("%s", verified).isTrue();
      Path out = tmp.resolve("out");
      repo.restore(RestoreRequest.builder().snapshot(kept.id()).destination(out).build());
      for (int i : new int[] {1, 3, 5, 7}) {
        assertThat(out.resolve("f" + i)).hasSameBinaryContentAs(src.resolve("f" + i));
      }
    }
  }

  /**
   * The packs a failed backup wrote stay in its session's index (a later backup of the session reuses
   * them), but no index file names them, so a prune deletes them (once the safety window has passed).
   * The session kept them in its index after its own prune: verify called the repository damaged ("in the
   * index but missing from storage"), and a backup in that session stored nothing of the same data again,
   * its snapshot naming blobs in the deleted packs: lost, seen only by the next session.
   */
  @Test
  void aPruneInTheSessionOfAFailedBackupLeavesNoDeletedPackInItsIndex() throws Exception {
    Path big = randomFiles(tmp.resolve("big"), "b", 3, 1 << 20, 5);
    FaultyStorage disk = new FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.builder(disk).packSize(1 << 20).init()) {
      disk.capacity(stored(disk) + 2_500_000);
      assertThatThrownBy(() -> repo.backup(List.of(FileSource.of(big))))
          .hasStackTraceContaining("No space left on device");
      disk.heal(); // room made elsewhere
      repo.prune(NOW);
      var verified = repo.verify(false);
      assertThat(verified.ok()).as("%s", verified.problems()).isTrue();
      repo.backup(List.of(FileSource.of(big)));
    }
    try (Repository repo = TestRepos.open(disk)) {
      var verified = repo.verify(true);
      assertThat(verified.ok()).as("%s", verified.problems()).isTrue();
      Path out = tmp.resolve("out");
      repo.restore(RestoreRequest.builder().snapshot("latest").destination(out).build());
      for (int i = 0; i < 3; i++) {
        assertThat(out.resolve("b" + i)).hasSameBinaryContentAs(big.resolve("b" + i));
      }
    }
  }

  /**
   * A prune whose repacking does not fit on the full disk fails before deleting anything (its new packs
   * and index are written first, so that it can be killed at any point). The error must say so and name
   * the way out: no repacking (maxUnused "unlimited", {@code --max-unused unlimited}), which writes only a
   * small index and deletes the packs no snapshot needs. It said only "No space left on device".
   */
  @Test
  void aPruneThatCannotRepackOnAFullDiskSaysHowToPruneWithoutRepacking() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    FaultyStorage disk = new FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.builder(disk).packSize(1 << 20).workers(1).init()) {
      // f0-f3 filled the first pack: wholly unused now; f4 and f6 half of the second
      partlyUnusedPacks(repo, src, 0, 1, 2, 3, 4, 6);
      long before = stored(disk);
      disk.capacity(before + 100_000);
      assertThatThrownBy(() -> repo.prune(NOW))
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("nothing was deleted")
          .hasMessageContaining("unlimited");
      assertThat(repo.verify(true).ok()).isTrue();

      var report = repo.prune(NOW.toBuilder().maxUnused("unlimited").build());
      assertThat(report.packsDeleted()).isPositive();
      assertThat(stored(disk)).isLessThan(before);
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }
}
