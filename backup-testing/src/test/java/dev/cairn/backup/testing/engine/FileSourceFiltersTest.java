package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** FileSource's --exclude-if-present, --exclude-caches and --one-file-system, on real directories. */
class FileSourceFiltersTest {
  @TempDir Path tmp;

  private static List<String> backedUp(FileSource source) {
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot s = repo.snapshot(repo.backup(List.of(source)).snapshotId().hex());
      return repo.entries(s, s.sources().get(0).name(), "").stream().map(EntryMetadata::path).toList();
    }
  }

  @Test
  void markedDirectoriesKeepOnlyTheirMarker() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("keep"));
    Files.createDirectories(src.resolve("skip/deeper"));
    Files.createDirectories(src.resolve("cache"));
    Files.createDirectories(src.resolve("fake-cache"));
    Files.writeString(src.resolve("keep/a.txt"), "a");
    Files.writeString(src.resolve("skip/.nobackup"), "");
    Files.writeString(src.resolve("skip/big.bin"), "b");
    Files.writeString(src.resolve("skip/deeper/c.txt"), "c");
    Files.writeString(src.resolve("cache/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n");
    Files.writeString(src.resolve("cache/blob"), "x");
    Files.writeString(src.resolve("fake-cache/CACHEDIR.TAG"), "not the signature\n");
    Files.writeString(src.resolve("fake-cache/data"), "y");

    assertThat(backedUp(FileSource.of(src).excludeIfPresent(".nobackup").excludeCaches())).containsExactlyInAnyOrder(
        "keep", "keep/a.txt", "skip", "skip/.nobackup", "cache", "cache/CACHEDIR.TAG",
        "fake-cache", "fake-cache/CACHEDIR.TAG", "fake-cache/data");
    // a header that does not match leaves the directory whole
    assertThat(backedUp(FileSource.of(src).excludeIfPresent(".nobackup:EXCLUDE"))).contains("skip/big.bin",
        "skip/deeper/c.txt", "cache/blob");
    assertThat(backedUp(FileSource.of(src))).contains("skip/big.bin", "cache/blob");
    assertThatThrownBy(() -> FileSource.of(src).excludeIfPresent("a/b")).hasMessageContaining("'a/b'");
  }

  @Test
  void oneFileSystemKeepsMountPointsEmpty() throws Exception {
    // /dev/shm is a tmpfs mounted on /dev (a devtmpfs): a real mount point without mounting anything
    Path shm = Path.of("/dev/shm");
    assertThat(Files.getAttribute(shm, "unix:dev")).as("/dev/shm must be its own file system here")
        .isNotEqualTo(Files.getAttribute(Path.of("/dev"), "unix:dev"));
    Path marker = Files.createTempDirectory(shm, "cairn-test-");
    try {
      Files.writeString(marker.resolve("on-another-fs.txt"), "x");
      String inShm = "shm/" + marker.getFileName() + "/on-another-fs.txt";
      List<String> across = backedUp(FileSource.of(Path.of("/dev")).include("shm/**"));
      assertThat(across).contains(inShm);
      List<String> one = backedUp(FileSource.of(Path.of("/dev")).include("shm", "shm/**").oneFileSystem(true));
      assertThat(one).contains("shm").doesNotContain(inShm).noneMatch(p -> p.startsWith("shm/"));
    } finally {
      Files.deleteIfExists(marker.resolve("on-another-fs.txt"));
      Files.deleteIfExists(marker);
    }
  }
}
