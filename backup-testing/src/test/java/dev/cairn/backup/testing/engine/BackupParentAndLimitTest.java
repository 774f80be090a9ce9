package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup --exclude-larger-than on a single-file root, and --parent with a snapshot holding none of the sources. */
class BackupParentAndLimitTest {
  @TempDir Path tmp;

  /** A PATH that is itself a file larger than the limit is left out, as restic does. */
  @Test
  void aSingleFileRootLargerThanTheLimitIsLeftOut() throws Exception {
    Path big = tmp.resolve("disk.img");
    Files.write(big, new byte[4096]);
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot s = repo.snapshot(repo.backup(List.of(FileSource.of(big).excludeLargerThan(1024))).snapshotId().hex());
      assertThat(repo.entries(s, s.sources().get(0).name(), "").stream().map(EntryMetadata::path).toList())
          .as("a 4 KiB file with --exclude-larger-than 1K").isEmpty();
    }
  }

  /** A chosen parent that holds none of the sources gives nothing, so it is not recorded as the parent. */
  @Test
  void aParentThatHoldsNoneOfTheSourcesIsNotRecorded() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Files.createDirectories(a);
    Files.createDirectories(b);
    Files.writeString(a.resolve("x"), "x");
    Files.writeString(b.resolve("y"), "y");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot other = repo.backup(List.of(FileSource.of(a).name("a")),
          BackupOptions.builder().host("elsewhere").build()).snapshot();
      Snapshot s = repo.backup(List.of(FileSource.of(b).name("b")),
          BackupOptions.builder().parent(other.id().hex()).build()).snapshot();
      assertThat(s.parent()).as("'A source it does not hold has no parent'").isNull();
    }
  }
}
