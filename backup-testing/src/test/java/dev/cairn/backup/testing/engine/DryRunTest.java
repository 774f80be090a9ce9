package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup through Storages.dryRun: the same report as a real one, and the repository untouched. */
class DryRunTest {
  @TempDir Path tmp;

  @Test
  void aDryRunReportsWhatABackupWouldAddAndWritesNothing() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    byte[] big = new byte[5 << 20];
    new Random(3).nextBytes(big);
    Files.write(src.resolve("big.bin"), big);
    Files.writeString(src.resolve("small.txt"), "small ".repeat(1000));
    Storage storage = Storages.local(tmp.resolve("repo"));
    try (Repository repo = TestRepos.builder(storage).packSize(1 << 20).init()) {
      repo.backup(List.of(FileSource.of(src)));
    }
    Files.writeString(src.resolve("new.txt"), "new ".repeat(5000));
    Map<String, Long> before = TestRepos.objects(storage);
    BackupReport dry;
    Files.write(src.resolve("big2.bin"), new Random(4).ints(3 << 20).mapToObj(Integer::toString)
        .reduce(new StringBuilder(), StringBuilder::append, StringBuilder::append).toString().getBytes());
    // small packs: dozens of them, and index files written along the way (every 32 packs), all in the view
    try (Repository repo = TestRepos.builder(Storages.dryRun(Storages.local(tmp.resolve("repo"))))
        .packSize(256 << 10).open()) {
      dry = repo.backup(List.of(FileSource.of(src)));
      assertThat(repo.snapshots()).as("the dry run's own view has it").hasSize(2);
    }
    assertThat(TestRepos.objects(storage)).as("nothing written, nothing deleted").isEqualTo(before);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.snapshots()).hasSize(1);
      BackupReport real = repo.backup(List.of(FileSource.of(src)));
      assertThat(dry.files()).isEqualTo(real.files());
      assertThat(dry.bytesNew()).isEqualTo(real.bytesNew()).isGreaterThan(20_000);
      assertThat(dry.bytesRead()).isEqualTo(real.bytesRead());
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }
}
