package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore of an awkward tree through a real encrypted repository on local storage. */
class RoundTripTest {
  private static final long BIG = 300L << 20;
  @TempDir Path tmp;

  @Test
  void awkwardTreeRestoresByteAndMetadataIdenticalAndSecondBackupStoresAlmostNothing() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 3000, BIG);
    Storage storage = Storages.local(tmp.resolve("repo"));
    BackupOptions options = BackupOptions.builder().plan("rt").host("test-host").addTag("t1").build();
    try (Repository repo = TestRepos.init(storage)) {
      BackupReport first = repo.backup(List.of(FileSource.of(src)), options);
      assertThat(first.warnings()).isEmpty();
      assertThat(first.files()).isEqualTo(3000 + 14);
      assertThat(first.bytesRead()).isGreaterThan(BIG);
      assertThat(first.bytesStored()).isGreaterThan(BIG / 2);

      BackupReport second = repo.backup(List.of(FileSource.of(src)), options);
      assertThat(second.bytesRead()).as("unchanged files are not read again").isZero();
      assertThat(second.bytesNew()).isZero();
      assertThat(second.bytesStored()).as("only trees and an index at most").isLessThan(1 << 20);
      assertThat(second.files()).isEqualTo(first.files());
      assertThat(second.snapshot().parent()).isEqualTo(first.snapshotId());
      assertThat(second.snapshot().sources().get(0).tree()).as("identical trees dedup")
          .isEqualTo(first.snapshot().sources().get(0).tree());

      List<Snapshot> snapshots = repo.snapshots();
      assertThat(snapshots).extracting(Snapshot::id).containsExactly(first.snapshotId(), second.snapshotId());
      assertThat(snapshots.get(1).tags()).containsExactly("t1");
      assertThat(snapshots.get(1).host()).isEqualTo("test-host");
      assertThat(snapshots.get(1).bytes()).isEqualTo(first.bytesTotal());

      List<EntryMetadata> ls = repo.entries(repo.snapshot("latest"), "files", "roles");
      assertThat(ls).extracting(EntryMetadata::path).contains("roles", "roles/web/tasks/main.yaml");
      assertThat(ls).filteredOn(e -> e.path().equals("roles")).extracting(EntryMetadata::type)
          .containsExactly(EntryType.DIRECTORY);

      Path dest = tmp.resolve("restored");
      RestoreReport report = repo.restore(RestoreRequest.builder().snapshot(second.snapshotId().shortHex())
          .destination(dest).build());
      assertThat(report.bytes()).isEqualTo(first.bytesTotal());
      TestTrees.assertSameTree(src, dest);

      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().destination(dest).build()))
          .isInstanceOf(RestoreException.class).hasMessageContaining("not empty");

      Path part = tmp.resolve("part");
      repo.restore(RestoreRequest.builder().path("roles/web").path("secret").destination(part).build());
      assertThat(Files.readString(part.resolve("roles/web/tasks/main.yaml"))).isEqualTo("- name: web\n");
      assertThat(Files.readString(part.resolve("secret"))).isEqualTo("s3cr3t");
      assertThat(part.resolve("roles/db")).doesNotExist();
      assertThat(part.resolve("big.bin")).doesNotExist();

      VerifyReport verify = repo.verify(false);
      assertThat(verify.problems()).isEmpty();
      assertThat(verify.snapshots()).isEqualTo(2);
    }
  }
}
