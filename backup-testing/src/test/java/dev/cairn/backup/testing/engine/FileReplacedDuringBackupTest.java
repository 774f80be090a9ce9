package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file replaced atomically (written beside it, renamed over it: ansible's copy/template, editors,
 * package managers) while the backup reads it cannot be torn: the open file is the old one to its end.
 * The stored copy is whole, so the backup must not call the snapshot incomplete nor claim mixed bytes.
 */
class FileReplacedDuringBackupTest {
  @TempDir Path tmp;

  @Test
  void aFileReplacedByRenameWhileReadIsNotReportedAsTorn() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Path conf = src.resolve("app.conf");
    byte[] old = new byte[8 << 20];
    Arrays.fill(old, (byte) 'a');
    Files.write(conf, old);
    AtomicBoolean replaced = new AtomicBoolean();
    BackupOptions options = BackupOptions.builder().progress(p -> {
      if (p.bytes() > 0 && p.bytes() < old.length && replaced.compareAndSet(false, true)) {
        try {
          Path next = src.resolve(".app.conf.tmp");
          Files.write(next, "new contents\n".getBytes());
          Files.move(next, conf, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }
    }).build();
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport report = repo.backup(List.of(FileSource.of(src).exclude(".app.conf.tmp").readers(1)), options);
      assertThat(replaced).as("the file was replaced during the read").isTrue();
      Path out = tmp.resolve("out");
      repo.restore(dev.cairn.backup.RestoreRequest.builder().snapshot(report.snapshot().id()).destination(out).build());
      Path restored;
      try (var w = Files.walk(out)) {
        restored = w.filter(x -> x.getFileName().toString().equals("app.conf")).findFirst().orElseThrow();
      }
      assertThat(Files.readAllBytes(restored)).as("the stored copy is the whole old file").isEqualTo(old);
      assertThat(report.warnings()).as("no warning for a whole, consistent copy").isEmpty();
      assertThat(report.snapshot().complete()).isTrue();
    }
  }

  @Test
  void aFileDeletedAfterItWasReadIsNotReportedAsTorn() throws Exception {
    Path src = tmp.resolve("src2");
    Files.createDirectories(src);
    Path f = src.resolve("spool.log");
    byte[] old = new byte[8 << 20];
    Arrays.fill(old, (byte) 'x');
    Files.write(f, old);
    AtomicBoolean deleted = new AtomicBoolean();
    BackupOptions options = BackupOptions.builder().progress(p -> {
      if (p.bytes() > 0 && p.bytes() < old.length && deleted.compareAndSet(false, true)) {
        try {
          Files.delete(f); // the reader keeps the open file to its end
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }
    }).build();
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport report = repo.backup(List.of(FileSource.of(src).readers(1)), options);
      assertThat(deleted).isTrue();
      assertThat(report.warnings()).as("a whole copy of a file deleted after it was opened").isEmpty();
    }
  }
}
