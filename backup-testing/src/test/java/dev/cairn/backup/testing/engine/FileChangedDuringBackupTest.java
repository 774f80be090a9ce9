package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file rewritten while it is being read is stored as a mix of old and new bytes that never existed
 * on disk: the backup must say so (a warning, the snapshot marked incomplete) rather than report it clean.
 */
class FileChangedDuringBackupTest {
  @TempDir Path tmp;

  @Test
  void aFileRewrittenWhileReadIsNotRecordedAsConsistent() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Path big = src.resolve("big.db");
    byte[] old = new byte[8 << 20];
    Arrays.fill(old, (byte) 'a');
    Files.write(big, old);
    AtomicBoolean changed = new AtomicBoolean();
    BackupOptions options = BackupOptions.builder().progress(p -> {
      if (p.bytes() > 0 && p.bytes() < old.length && changed.compareAndSet(false, true)) {
        // the application rewrites the whole file in place, same size, while the backup is reading it
        // (a moment later than the backup looked at it, so that its time changes even on coarse clocks)
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
          byte[] now = new byte[old.length];
          Arrays.fill(now, (byte) 'b');
          f.write(now);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }
    }).build();
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport report = repo.backup(List.of(FileSource.of(src).readers(1)), options);
      assertThat(changed).as("the file was rewritten during the read").isTrue();
      assertThat(report.clean() && report.snapshot().complete())
          .as("a backup that stored a torn copy of big.db (old head, new tail) reports itself clean and complete")
          .isFalse();
    }
  }
}
