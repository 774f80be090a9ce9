package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.PackRepairReport;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.testing.FaultyStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A pack damaged or lost on one copy (bit rot on a rotated drive): {@code repairPacks} salvages what
 * still reads back, takes the rest from another copy, and the repository verifies and restores
 * whole again; without a copy, the next backup stores what was lost again.
 */
class PackRepairTest extends TwoCopies {
  @Test
  void aDamagedPackIsRebuiltFromWhatStillReadsAndFromTheCopy() throws IOException {
    Path pack = largestPack();
    flipMiddleByte(pack);
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      VerifyReport before = primary.verify(true);
      assertThat(before.ok()).isFalse();
      assertThat(before.damagedPaths()).isNotEmpty();

      PackRepairReport r = primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      assertThat(r.repairedPacks()).containsExactly(pack.getFileName().toString());
      assertThat(r.blobsFromCopy()).isPositive();
      assertThat(r.blobsSalvaged()).as("the pack's other blobs still read back").isPositive();
      assertThat(r.lostBlobs()).isEmpty();
      assertThat(r.complete()).isTrue();
      assertThat(r.newPacks()).isNotEmpty();
      assertThat(r.problems()).anyMatch(p -> p.contains(pack.getFileName().toString()));
      assertThat(pack).doesNotExist();

      assertThat(primary.verify(true).ok()).isTrue();
      Path out = tmp.resolve("restored");
      primary.restore(RestoreRequest.builder().destination(out).build());
      assertThat(contents(out)).isEqualTo(contents(src));
    }
  }

  @Test
  void withoutACopyTheLostBlobsLeaveTheIndexAndTheNextBackupStoresThemAgain() throws IOException {
    flipMiddleByte(largestPack());
    try (Repository primary = TestRepos.open(primaryStorage)) {
      Set<String> damagedFiles = primary.verify(true).damagedPaths().stream().map(VerifyReport.DamagedPath::path)
          .collect(Collectors.toSet());
      assertThat(damagedFiles).isNotEmpty();

      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(r.complete()).isFalse();
      assertThat(r.lostBlobs()).isNotEmpty();
      assertThat(r.blobsSalvaged()).isPositive();
      // the repository is consistent again: what is lost is missing from the index, for the same files
      VerifyReport after = primary.verify(true);
      assertThat(after.damagedPacks()).isEmpty();
      assertThat(after.damagedPaths()).extracting(VerifyReport.DamagedPath::path)
          .containsExactlyInAnyOrderElementsOf(damagedFiles);
      assertThatThrownBy(() -> primary.prune(PruneOptions.DEFAULTS)).isInstanceOf(IntegrityException.class)
          .hasMessageContaining("in no pack");

      // the files still exist: the next backup reads them again, which heals the older snapshot too
      primary.backup(List.of(FileSource.of(src)));
      assertThat(primary.verify(true).ok()).isTrue();
      primary.prune(PruneOptions.DEFAULTS);
      Path out = tmp.resolve("restored");
      primary.restore(RestoreRequest.builder().snapshot(primary.snapshots().get(0).id().hex())
          .destination(out).build());
      assertThat(contents(out)).isEqualTo(contents(src));
    }
  }

  @Test
  void whatARepairWithoutACopyLostALaterRepairWithOneBringsBack() throws IOException {
    flipMiddleByte(largestPack());
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      PackRepairReport first = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(first.lostBlobs()).isNotEmpty();
      assertThat(primary.verify(false).ok()).isFalse();

      // no pack is damaged any more; the blobs snapshots need and no pack holds come from the copy
      PackRepairReport second = primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      assertThat(second.repairedPacks()).isEmpty();
      assertThat(second.blobsFromCopy()).isEqualTo(first.lostBlobs().size());
      assertThat(second.complete()).isTrue();
      assertThat(second.newPacks()).isNotEmpty();
      assertThat(primary.verify(true).ok()).isTrue();
      Path out = tmp.resolve("restored");
      primary.restore(RestoreRequest.builder().destination(out).build());
      assertThat(contents(out)).isEqualTo(contents(src));

      // and once whole, a repair with the copy finds nothing to do
      PackRepairReport third = primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      assertThat(third.blobsFromCopy()).isZero();
      assertThat(third.newPacks()).isEmpty();
    }
  }

  @Test
  void whenNoCopyHasTheDataRepairSnapshotsWritesThemWithoutWhatIsLostAndPruneRunsAgain() throws IOException {
    flipMiddleByte(largestPack());
    try (Repository primary = TestRepos.open(primaryStorage)) {
      assertThat(primary.repairPacks(List.of(), null, false, ProgressListener.NONE).complete()).isFalse();
      Set<String> damagedFiles = primary.verify(false).damagedPaths().stream().map(VerifyReport.DamagedPath::path)
          .collect(Collectors.toSet());
      assertThat(damagedFiles).isNotEmpty().doesNotContain("");

      var dry = primary.repairSnapshots(List.of(), true, true);
      assertThat(dry).hasSize(1);
      assertThat(dry.get(0).rewritten()).isNull();
      assertThat(primary.snapshots()).extracting(s -> s.id()).containsExactly(dry.get(0).original().id());

      var repaired = primary.repairSnapshots(List.of(), true, false);
      assertThat(repaired).hasSize(1);
      var r = repaired.get(0);
      assertThat(r.removed().keySet()).containsExactlyInAnyOrderElementsOf(damagedFiles);
      assertThat(r.removed().values()).allMatch(why -> why.contains("is in no pack"));
      assertThat(r.removedEntries()).isEqualTo(damagedFiles.size());
      assertThat(r.rewritten().tags()).contains("repair");
      assertThat(r.rewritten().complete()).as("data was lost").isFalse();
      assertThat(primary.snapshots()).extracting(s -> s.id()).containsExactly(r.rewritten().id());

      assertThat(primary.verify(false).ok()).isTrue();
      primary.prune(PruneOptions.DEFAULTS);
      assertThat(primary.verify(true).ok()).isTrue();
      Path out = tmp.resolve("restored");
      primary.restore(RestoreRequest.builder().destination(out).build());
      Map<String, String> expected = contents(src);
      r.removed().keySet().forEach(expected::remove);
      assertThat(contents(out)).isEqualTo(expected).isNotEmpty();
    }
  }

  @Test
  void repairSnapshotsWaitsForRepairPacksWhileTheIndexListsALostPack() throws IOException {
    Files.delete(largestPack());
    Map<String, Long> before = TestRepos.objects(primaryStorage);
    try (Repository primary = TestRepos.open(primaryStorage)) {
      assertThatThrownBy(() -> primary.repairSnapshots(List.of(), true, false))
          .isInstanceOf(IntegrityException.class).hasMessageContaining("missing from storage")
          .hasMessageContaining("repair packs");
    }
    assertThat(TestRepos.objects(primaryStorage)).isEqualTo(before);
  }

  @Test
  void aMissingPackNamedByPrefixComesBackFromTheCopy() throws IOException {
    Path pack = largestPack();
    Files.delete(pack);
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      PackRepairReport r = primary.repairPacks(List.of(pack.getFileName().toString().substring(0, 10)), copy,
          false, ProgressListener.NONE);
      assertThat(r.repairedPacks()).containsExactly(pack.getFileName().toString());
      assertThat(r.blobsSalvaged()).isZero();
      assertThat(r.complete()).isTrue();
      assertThat(r.problems()).anyMatch(p -> p.contains("missing from storage"));
      assertThat(primary.verify(true).ok()).isTrue();
    }
  }

  @Test
  void aDryRunReportsAndChangesNothing() throws IOException {
    flipMiddleByte(largestPack());
    Map<String, Long> before = TestRepos.objects(primaryStorage);
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      PackRepairReport r = primary.repairPacks(List.of(), copy, true, ProgressListener.NONE);
      assertThat(r.dryRun()).isTrue();
      assertThat(r.repairedPacks()).hasSize(1);
      assertThat(r.blobsFromCopy()).isPositive();
      assertThat(r.newPacks()).isEmpty();
    }
    assertThat(TestRepos.objects(primaryStorage)).isEqualTo(before);
  }

  @Test
  void anIntactRepositoryIsLeftAsItIsAndAStorageErrorIsNotDamage() throws IOException {
    Map<String, Long> before = TestRepos.objects(primaryStorage);
    FaultyStorage faulty = new FaultyStorage(primaryStorage);
    try (Repository primary = TestRepos.open(faulty)) {
      faulty.failNext(FaultyStorage.Operation.GET, 1000);
      assertThatThrownBy(() -> primary.repairPacks(List.of(), null, false, ProgressListener.NONE))
          .isInstanceOf(StorageException.class);
      faulty.heal();
      assertThat(TestRepos.objects(primaryStorage)).isEqualTo(before);
      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(r.packsChecked()).isPositive();
      assertThat(r.repairedPacks()).isEmpty();
    }
    assertThat(TestRepos.objects(primaryStorage)).isEqualTo(before);
  }

  @Test
  void refusesACopyOfOtherChunkingAndNamesAPackItDoesNotKnow() {
    try (Repository primary = TestRepos.open(primaryStorage);
        Repository stranger = TestRepos.init(Storages.local(tmp.resolve("stranger")))) {
      assertThatThrownBy(() -> primary.repairPacks(List.of(), stranger, false, ProgressListener.NONE))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("does not share its chunking");
      assertThatThrownBy(() -> primary.repairPacks(List.of("ffffffffffff"), null, false, ProgressListener.NONE))
          .isInstanceOf(BackupException.class).hasMessageContaining("no pack with id 'ffffffffffff'");
      assertThatThrownBy(() -> primary.repairPacks(List.of("not-hex"), null, false, ProgressListener.NONE))
          .isInstanceOf(BackupException.class).hasMessageContaining("'not-hex' is not a pack id");
    }
  }
}
