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
  void anIncludeThatMatchesNothingIsAWarningNamingIt() throws Exception {
    // the team's plan includes roles/*/tasks/main.yaml; a role written with Ansible's other spelling,
    // main.yml, matched nothing and was left out of every backup without a word
    Path src = tmp.resolve("ansible");
    Files.createDirectories(src.resolve("group_vars"));
    Files.createDirectories(src.resolve("roles/web/tasks"));
    Files.writeString(src.resolve("group_vars/all.yaml"), "ntp: pool.ntp.org\n");
    Files.writeString(src.resolve("roles/web/tasks/main.yml"), "- name: web\n");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      var report = repo.backup(List.of(FileSource.of(src).include("group_vars/all.yaml", "roles/*/tasks/main.yaml")));
      assertThat(report.snapshot().complete()).isFalse();
      assertThat(report.warnings()).singleElement().asString()
          .contains("include 'roles/*/tasks/main.yaml' matched nothing under " + src);
      var every = repo.backup(List.of(FileSource.of(src).include("group_vars/all.yaml", "roles/*/tasks/main.y*ml")));
      assertThat(every.warnings()).isEmpty();
      assertThat(every.snapshot().complete()).isTrue();
    }
  }

  @Test
  void filesLargerThanTheLimitAreLeftOut() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("dumps"));
    Files.writeString(src.resolve("all.yaml"), "x".repeat(1024));
    Files.write(src.resolve("dumps/core.1234"), new byte[1025]);
    Files.createSymbolicLink(src.resolve("link"), Path.of("dumps/core.1234"));
    assertThat(backedUp(FileSource.of(src).excludeLargerThan(1024)))
        .containsExactlyInAnyOrder("all.yaml", "dumps", "link");
    assertThat(FileSource.of(src).excludeLargerThan(1024).excludeLargerThan()).hasValue(1024);
    assertThat(backedUp(FileSource.of(src))).contains("dumps/core.1234");
    assertThatThrownBy(() -> FileSource.of(src).excludeLargerThan(-1)).hasMessageContaining("-1");
  }

  @Test
  void forceReadsAFileWhoseContentChangedBehindUnchangedSizeAndTime() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Path file = src.resolve("state.db");
    Files.writeString(file, "version A");
    java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(file);
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot first = repo.backup(List.of(FileSource.of(src))).snapshot();
      // a tool that keeps the modification time: size and time say unchanged
      Files.writeString(file, "version B");
      Files.setLastModifiedTime(file, mtime);
      Snapshot trusting = repo.backup(List.of(FileSource.of(src))).snapshot();
      assertThat(trusting.parent()).isEqualTo(first.id());
      assertThat(trusting.sources().get(0).tree()).isEqualTo(first.sources().get(0).tree());

      var forced = repo.backup(List.of(FileSource.of(src)), dev.cairn.backup.BackupOptions.builder().force(true).build());
      assertThat(forced.bytesRead()).isEqualTo("version B".length());
      assertThat(forced.snapshot().parent()).isNull();
      Path out = tmp.resolve("out");
      repo.restore(dev.cairn.backup.RestoreRequest.builder().snapshot(forced.snapshot().id().hex()).destination(out)
          .build());
      assertThat(Files.readString(out.resolve("state.db"))).isEqualTo("version B");

      // a chosen parent: unchanged files come from it, and it is recorded
      var fromFirst = repo.backup(List.of(FileSource.of(src)),
          dev.cairn.backup.BackupOptions.builder().parent(first.id().shortHex()).build());
      assertThat(fromFirst.snapshot().parent()).isEqualTo(first.id());
      assertThat(fromFirst.bytesRead()).isZero();
      assertThatThrownBy(() -> dev.cairn.backup.BackupOptions.builder().force(true).parent("latest").build())
          .hasMessageContaining("not both");
    }
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
