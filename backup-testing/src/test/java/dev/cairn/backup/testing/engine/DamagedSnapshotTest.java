package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Retention;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One damaged snapshot file: the others still list and restore, verify names it, prune refuses (the
 * data it needs is unknown), and forgetting it by id clears the way.
 */
class DamagedSnapshotTest {
  @TempDir Path tmp;

  @Test
  void aDrillFailsInItsReportWhenASnapshotFileIsDamaged() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("all.yaml"), "x: 1\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    Path reports = tmp.resolve("drills");
    dev.cairn.backup.BackupPlan plan = dev.cairn.backup.BackupPlan.builder().name("infra")
        .source(FileSource.of(src).name("ansible"))
        .target(dev.cairn.backup.Target.of("local", storage))
        .encryption(dev.cairn.backup.Encryption.passphrase(() -> TestRepos.PASSPHRASE))
        .drillReports(reports)
        .build();
    plan.init();
    plan.backup();
    ObjectId newest = plan.backup().snapshot().id();
    assertThat(plan.drill().passed()).isTrue();
    Path file = tmp.resolve("repo/snapshots/" + newest.hex());
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
    var drill = plan.drill();
    assertThat(drill.passed()).as("an older snapshot must not pass the drill").isFalse();
    assertThat(drill.sources().get(0).error()).contains(newest.shortHex(), "damaged");
    // and it is on record, so health shows the failed drill
    List<dev.cairn.backup.DrillReport> onRecord = dev.cairn.backup.DrillReports.readAll(reports);
    assertThat(onRecord.get(onRecord.size() - 1).passed()).isFalse();
  }

  @Test
  void aSnapshotThatCannotBeReadRightNowIsNotTakenForDamaged() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("state.txt"), "v");
    dev.cairn.backup.testing.FaultyStorage storage = new dev.cairn.backup.testing.FaultyStorage(
        Storages.local(tmp.resolve("repo")));
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(FileSource.of(src)));
      repo.backup(List.of(FileSource.of(src)));
    }
    try (Repository repo = TestRepos.open(storage)) {
      storage.failNext(dev.cairn.backup.testing.FaultyStorage.Operation.GET, 100);
      // an I/O error fails the command; it never leaves a healthy snapshot out, nor restores an older one
      assertThatThrownBy(repo::snapshots).isInstanceOf(dev.cairn.backup.StorageException.class);
      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().destination(tmp.resolve("out")).build()))
          .isInstanceOf(dev.cairn.backup.StorageException.class);
      assertThatThrownBy(() -> repo.verify(false)).isInstanceOf(dev.cairn.backup.StorageException.class);
      storage.heal();
      assertThat(repo.snapshots()).hasSize(2);
      assertThat(repo.verify(false).ok()).isTrue();
    }
  }

  @Test
  void aSnapshotANewerCairnWroteDoesNotStopThisHostsBackups() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("all.yaml"), "x: 1\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    ObjectId first;
    try (Repository repo = TestRepos.init(storage)) {
      first = repo.backup(List.of(FileSource.of(src))).snapshotId();
    }
    // another host, upgraded, writes a snapshot of a format this Cairn does not know
    ObjectId newer;
    try (var engine = dev.cairn.backup.internal.repository.EncryptedRepository.open(storage, TestRepos.PASSPHRASE,
        dev.cairn.backup.internal.repository.RepositoryOptions.defaults())) {
      newer = engine.saveUnpacked(dev.cairn.backup.internal.repository.FileType.SNAPSHOT,
          "{\"version\":2,\"time\":\"2099-01-01T00:00:00Z\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    try (Repository repo = TestRepos.open(storage)) {
      var report = repo.backup(List.of(FileSource.of(src)));
      // the backup ran, from the parent it can read: the unchanged file was not read again
      assertThat(report.snapshot().parent()).isEqualTo(first);
      assertThat(report.bytesRead()).isZero();
      // what needs every snapshot still says to upgrade rather than leave it out
      assertThatThrownBy(repo::snapshots).isInstanceOf(dev.cairn.backup.ConfigurationException.class)
          .hasMessageContaining(newer.shortHex()).hasMessageContaining("upgrade Cairn");
      Map<String, Long> before = TestRepos.objects(storage);
      assertThatThrownBy(() -> repo.prune(PruneOptions.DEFAULTS))
          .isInstanceOf(dev.cairn.backup.ConfigurationException.class).hasMessageContaining("upgrade Cairn");
      assertThat(TestRepos.objects(storage)).isEqualTo(before);
    }
  }

  @Test
  void theOtherSnapshotsStillListAndRestoreAndForgetByIdRemovesIt() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Storage storage = Storages.local(tmp.resolve("repo"));
    List<ObjectId> ids = new ArrayList<>();
    try (Repository repo = TestRepos.init(storage)) {
      for (int i = 0; i < 3; i++) {
        Files.writeString(src.resolve("state.txt"), "version " + i);
        ids.add(repo.backup(List.of(FileSource.of(src))).snapshotId());
      }
    }
    ObjectId newest = ids.get(2);
    Path file = tmp.resolve("repo/snapshots/" + newest.hex());
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);

    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(ids.get(0), ids.get(1));
      Path out = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().snapshot("latest").destination(out).build());
      assertThat(Files.readString(out.resolve("state.txt"))).isEqualTo("version 1");
      VerifyReport v = repo.verify(false);
      assertThat(v.damagedSnapshots()).containsExactly(newest);

      // a policy neither counts nor removes what it cannot read
      var plan = repo.forget(Retention.policy().keepLast(1), false);
      assertThat(plan.remove()).extracting(Snapshot::id).containsExactly(ids.get(0));
      assertThat(file).exists();

      Map<String, Long> before = TestRepos.objects(storage);
      assertThatThrownBy(() -> repo.prune(PruneOptions.DEFAULTS)).isInstanceOf(IntegrityException.class)
          .hasMessageContaining("prune stopped before changing anything")
          .hasMessageContaining("cairn forget " + newest.shortHex());
      assertThat(TestRepos.objects(storage)).isEqualTo(before);

      assertThatThrownBy(() -> repo.forget(List.of(newest.shortHex(), "ffffffffff"), false))
          .isInstanceOf(BackupException.class).hasMessageContaining("'ffffffffff'").hasMessageContaining("nothing was removed");
      assertThat(file).exists();
      assertThat(repo.forget(List.of(newest.hex().substring(0, 12)), true)).containsExactly(newest);
      assertThat(file).exists();
      assertThat(repo.forget(List.of(newest.hex().substring(0, 12)), false)).containsExactly(newest);
      assertThat(file).doesNotExist();
      repo.prune(PruneOptions.DEFAULTS);
      assertThat(repo.verify(true).ok()).isTrue();
      assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(ids.get(1));
    }
  }
}
