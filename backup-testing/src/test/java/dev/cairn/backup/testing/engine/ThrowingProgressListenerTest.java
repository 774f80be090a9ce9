package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A progress listener is for display: one that throws (a closed UI, a bug in a progress bar) must not
 * fail the operation it reports on, least of all after the operation has committed.
 */
class ThrowingProgressListenerTest {
  @TempDir Path tmp;

  private static final ProgressListener THROWS = p -> {
    throw new IllegalStateException("progress bar is gone");
  };

  @Test
  void aListenerThrowingAfterTheSnapshotIsWrittenDoesNotReportTheBackupAsFailed() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 5, 1 << 20);
    InMemoryStorage storage = new InMemoryStorage();
    // throws only once the snapshot is committed: the last sample, sent after Snapshots.save
    ProgressListener afterCommit = p -> {
      if (!storage.list("snapshots/").isEmpty()) {
        throw new IllegalStateException("progress bar is gone");
      }
    };
    try (Repository repo = TestRepos.init(storage)) {
      BackupReport r = repo.backup(List.of(FileSource.of(src)),
          BackupOptions.builder().progress(afterCommit).build());
      assertThat(repo.snapshots()).extracting(s -> s.id()).containsExactly(r.snapshot().id());
    }
  }

  @Test
  void aThrowingListenerNeitherAbortsABackupNorARestore() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 20, 3 << 20);
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport r = repo.backup(List.of(FileSource.of(src)), BackupOptions.builder().progress(THROWS).build());
      assertThat(r.snapshot().complete()).isTrue();
      Path dest = tmp.resolve("r");
      repo.restore(RestoreRequest.builder().destination(dest).progress(THROWS).build());
      TestTrees.assertSameTree(src, dest);
      assertThat(repo.verify(true, THROWS).ok()).isTrue();
    }
  }
}
