package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same repository reached by two paths (a symlink, a bind mount): docs/copy.md says copying a
 * repository onto itself is refused. Otherwise a copy "succeeds" (everything "already present") without
 * making a second copy.
 */
class CopyOntoItselfTest {
  @TempDir Path tmp;

  @Test
  void copyToTheSameRepositoryThroughASymlinkIsRefused() throws Exception {
    Path dir = tmp.resolve("repo");
    Path alias = Files.createSymbolicLink(tmp.resolve("alias"), dir);
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a");
    try (Repository repo = TestRepos.init(Storages.local(dir));
        Repository same = TestRepos.open(Storages.local(alias))) {
      repo.backup(List.of(FileSource.of(data)));
      assertThatThrownBy(() -> repo.copyTo(same)).as("a copy onto itself reports a copy that does not exist")
          .isInstanceOfAny(IllegalArgumentException.class, dev.cairn.backup.ConfigurationException.class);
    }
  }
}
