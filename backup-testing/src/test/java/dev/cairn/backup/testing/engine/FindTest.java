package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.FoundEntry;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repository.find across many snapshots: every match, and unchanged directories without one read once. */
class FindTest {
  @TempDir Path tmp;

  @Test
  void unchangedDirectoriesWithoutAMatchAreReadOnceAcrossSnapshots() throws Exception {
    Path src = tmp.resolve("src");
    for (int i = 0; i < 40; i++) {
      Files.createDirectories(src.resolve("dir" + i + "/sub"));
      Files.writeString(src.resolve("dir" + i + "/sub/f" + i + ".txt"), "file " + i);
    }
    Files.writeString(src.resolve("dir3/sub/needle.cfg"), "found me");
    FaultyStorage storage = new FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.init(storage)) {
      for (int i = 0; i < 8; i++) {
        Files.writeString(src.resolve("dir9/sub/changing.txt"), "version " + i); // one directory changes each time
        repo.backup(List.of(FileSource.of(src)));
      }
    }
    try (Repository repo = TestRepos.open(storage)) {
      List<Snapshot> all = repo.snapshots();
      long before = storage.calls(FaultyStorage.Operation.GET);
      List<FoundEntry> found = new ArrayList<>();
      repo.find(all, (source, e) -> e.path().endsWith("needle.cfg"), found::add);
      long reads = storage.calls(FaultyStorage.Operation.GET) - before;
      assertThat(found).hasSize(8).allMatch(f -> f.entry().path().equals("dir3/sub/needle.cfg"));
      assertThat(found).extracting(FoundEntry::snapshot).containsExactlyElementsOf(all);
      // the first snapshot's 81 trees, then per snapshot only the root, dir9, dir9/sub and the path to the match
      assertThat(reads).as("tree reads").isLessThan(81 + 7 * 6);
    }
  }
}
