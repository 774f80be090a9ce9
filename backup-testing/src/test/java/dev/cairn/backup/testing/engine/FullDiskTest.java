package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** A backup that fills the disk fails naming the full disk, and the repository stays usable. */
class FullDiskTest {
  @TempDir
  Path tmp;

  @RepeatedTest(5)
  void aFullDiskIsReportedAsSuchAndTheNextBackupWorks() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Random random = new Random(7);
    for (int i = 0; i < 6; i++) {
      byte[] data = new byte[1 << 20];
      random.nextBytes(data);
      Files.write(src.resolve("f" + i), data);
    }
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
}
