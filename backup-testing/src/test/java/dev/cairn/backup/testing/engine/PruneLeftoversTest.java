package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup killed in the middle of writing a pack leaves its temporary file: never listed, never read,
 * but taking space for good. Prune removes those older than its safety window, and only those.
 */
class PruneLeftoversTest {
  @TempDir Path tmp;

  @Test
  void pruneRemovesTemporaryFilesOlderThanItsSafetyWindow() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "kept\n");
    Path dir = tmp.resolve("repo");
    try (Repository repo = TestRepos.init(Storages.local(dir))) {
      repo.backup(List.of(FileSource.of(src)));
      Path stale = Files.createDirectories(dir.resolve("data/7f")).resolve(".7f00.1b2c.cairn-tmp");
      Path fresh = dir.resolve("index/.9e00.3d4e.cairn-tmp");
      Files.write(stale, new byte[4096]);
      Files.write(fresh, new byte[64]);
      Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

      repo.prune(PruneOptions.builder().dryRun(true).build());
      assertThat(stale).as("a dry run changes nothing").exists();
      repo.prune(PruneOptions.builder().safetyWindow(Duration.ofHours(1)).build());
      assertThat(stale).doesNotExist();
      assertThat(fresh).as("within the safety window: perhaps a backup still writing").exists();
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }
}
