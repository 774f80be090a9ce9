package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.ForwardingStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding: a copy now reads every source snapshot file a second time (SnapshotCopier.run), also when
 * there is nothing to copy, on top of the reading that chose the snapshots to copy. A plan copies after every
 * backup: on a remote source with thousands of snapshots each copy pays twice the snapshot reads.
 */
class CopyReadsSourceSnapshotsOnceTest {
  @TempDir Path tmp;

  @Test
  void aCopyWithNothingToDoReadsEachSourceSnapshotAtMostOnce() throws Exception {
    AtomicInteger snapshotReads = new AtomicInteger();
    ForwardingStorage counting = new ForwardingStorage(new InMemoryStorage()) {
      @Override
      public InputStream get(String name, long offset, long length) throws IOException {
        if (name.startsWith("snapshots/")) {
          snapshotReads.incrementAndGet();
        }
        return super.get(name, offset, length);
      }
    };
    Path src = Files.createDirectories(tmp.resolve("src"));
    try (Repository primary = TestRepos.init(counting);
        Repository copy = TestRepos.builder(new InMemoryStorage()).chunkingFrom(primary).init()) {
      int n = 5;
      for (int i = 0; i < n; i++) {
        Files.writeString(src.resolve("f" + i), "content " + i);
        primary.backup(List.of(FileSource.of(src)));
      }
      primary.copyTo(copy, List.of(), ProgressListener.NONE);
      snapshotReads.set(0);
      assertThat(primary.copyTo(copy, List.of(), ProgressListener.NONE).copied()).isEmpty();
      assertThat(snapshotReads.get()).as("snapshot files of the source read by a copy with nothing to do"
          + " (%d snapshots)", n).isLessThanOrEqualTo(n);
    }
  }
}
