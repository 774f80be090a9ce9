package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotDiff;
import dev.cairn.backup.SnapshotDiff.Change;
import dev.cairn.backup.SnapshotDiff.Kind;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repository.diff: every kind of change, sources that come and go, and only differing trees read. */
class SnapshotDiffTest {
  @TempDir Path tmp;

  @Test
  void everyKindOfChangeIsListedInPathOrder() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("gone/deeper"));
    Files.createDirectories(src.resolve("same"));
    Files.writeString(src.resolve("a.txt"), "a");
    Files.writeString(src.resolve("gone/deeper/g.txt"), "gg");
    Files.writeString(src.resolve("same/s.txt"), "s");
    Files.writeString(src.resolve("touched.txt"), "t");
    Files.writeString(src.resolve("was-file"), "w");
    Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot one = repo.snapshot(repo.backup(List.of(FileSource.of(src))).snapshotId().hex());
      Files.writeString(src.resolve("a.txt"), "a, longer");
      deleteTree(src.resolve("gone"));
      Files.createDirectories(src.resolve("new"));
      Files.writeString(src.resolve("new/n.txt"), "nnn");
      Files.writeString(src.resolve("new-file.txt"), "");
      Files.setLastModifiedTime(src.resolve("touched.txt"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
      Files.delete(src.resolve("was-file"));
      Files.createDirectories(src.resolve("was-file"));
      Files.delete(src.resolve("link"));
      Files.createSymbolicLink(src.resolve("link"), Path.of("same/s.txt"));
      Snapshot two = repo.snapshot(repo.backup(List.of(FileSource.of(src))).snapshotId().hex());

      SnapshotDiff diff = repo.diff(one, two);
      assertThat(diff.changes()).extracting(c -> c.kind().symbol() + " " + c.path() + " " + c.type()).containsExactly(
          "M a.txt FILE",
          "- gone DIRECTORY",
          "- gone/deeper DIRECTORY",
          "- gone/deeper/g.txt FILE",
          "M link SYMLINK",
          "+ new DIRECTORY",
          "+ new/n.txt FILE",
          "+ new-file.txt FILE", // depth first by name, as ls lists: not "new-file.txt" < "new/n.txt"
          "U touched.txt FILE",
          "T was-file DIRECTORY");
      Change a = diff.changes().get(0);
      assertThat(a.sizeBefore()).isEqualTo(1);
      assertThat(a.sizeAfter()).isEqualTo(9);
      assertThat(diff.bytesAdded()).isEqualTo(8 + 3);
      assertThat(diff.bytesRemoved()).isEqualTo(2 + 1); // g.txt, and was-file's content
      assertThat(diff.count(Kind.REMOVED)).isEqualTo(3);
      // backwards, additions and removals swap
      SnapshotDiff back = repo.diff(two, one);
      assertThat(back.count(Kind.ADDED)).isEqualTo(3);
      assertThat(back.count(Kind.REMOVED)).isEqualTo(3);
      assertThat(back.bytesAdded()).isEqualTo(diff.bytesRemoved());
      assertThat(repo.diff(two, two).isEmpty()).isTrue();
    }
  }

  @Test
  void aSourceOnOneSideOnlyIsAllAddedOrAllRemoved() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("d"));
    Files.writeString(src.resolve("d/f.txt"), "f");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot one = repo.snapshot(repo.backup(List.of(FileSource.of(src).name("files"))).snapshotId().hex());
      Snapshot two = repo.snapshot(repo.backup(List.of(FileSource.of(src).name("files"),
          StreamSource.of("dump", "dump.sql", () -> new java.io.ByteArrayInputStream(
              "CREATE TABLE t;\n".getBytes(StandardCharsets.UTF_8))))).snapshotId().hex());
      SnapshotDiff diff = repo.diff(one, two);
      assertThat(diff.changes()).containsExactly(new Change("dump", "dump.sql", Kind.ADDED, EntryType.FILE, 0, 16));
      assertThat(repo.diff(two, one).changes()).extracting(Change::kind).containsExactly(Kind.REMOVED);
    }
  }

  @Test
  void onlyTheTreesThatDifferAreRead() throws Exception {
    Path src = tmp.resolve("src");
    for (int i = 0; i < 60; i++) {
      Files.createDirectories(src.resolve("dir" + i + "/sub"));
      Files.writeString(src.resolve("dir" + i + "/sub/f.txt"), "file " + i);
    }
    FaultyStorage storage = new FaultyStorage(new InMemoryStorage());
    Snapshot one;
    Snapshot two;
    try (Repository repo = TestRepos.init(storage)) {
      one = repo.snapshot(repo.backup(List.of(FileSource.of(src))).snapshotId().hex());
      Files.writeString(src.resolve("dir7/sub/f.txt"), "changed");
      two = repo.snapshot(repo.backup(List.of(FileSource.of(src))).snapshotId().hex());
    }
    try (Repository repo = TestRepos.open(storage)) {
      long before = storage.calls(FaultyStorage.Operation.GET);
      SnapshotDiff diff = repo.diff(one, two);
      long reads = storage.calls(FaultyStorage.Operation.GET) - before;
      assertThat(diff.changes()).extracting(Change::path).containsExactly("dir7/sub/f.txt");
      // root, dir7 and dir7/sub on each side at most: not the 121 trees of each snapshot
      assertThat(reads).isLessThanOrEqualTo(6);
    }
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
