package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a FileSource with include globs reports about entries it was never asked to back up. */
class FileSourceSelectionTest {
  @TempDir Path tmp;

  /**
   * A special file outside every include glob is reported as skipped: the backup of the one included,
   * readable file is marked incomplete (exit 3 in the CLI) because of a socket nobody asked for.
   */
  @Test
  void aSpecialFileOutsideTheIncludesDoesNotMakeTheSnapshotIncomplete() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("group_vars"));
    Files.createDirectories(src.resolve("run"));
    Files.writeString(src.resolve("group_vars/all.yaml"), "x: 1\n");
    Process mkfifo = new ProcessBuilder("mkfifo", src.resolve("run/agent.sock").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport report = repo.backup(List.of(FileSource.of(src).include("group_vars/all.yaml")));
      assertThat(report.warnings()).isEmpty();
      assertThat(report.snapshot().complete()).isTrue();
    }
  }

  /** A glob class holding '[' or '&' (literal in a glob) is a valid exclude. */
  @Test
  void aGlobClassWithABracketOrAmpersandIsValid() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a[b"), "1");
    Files.writeString(src.resolve("a&b"), "2");
    Files.writeString(src.resolve("keep"), "3");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      var s = repo.backup(List.of(FileSource.of(src).exclude("a[[&]b"))).snapshot();
      assertThat(repo.entries(s, "files", "").stream().map(e -> e.path()).toList()).containsExactly("keep");
    }
  }
}
