package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** '**' in an exclude glob matches any characters, a newline in a file name too. */
class GlobNewlineTest {
  @TempDir Path tmp;

  @Test
  void backupExcludesWithDoubleStarCoverNamesWithNewlines() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("cache"));
    Files.createDirectories(src.resolve("we\nird"));
    Files.writeString(src.resolve("cache/line\nbreak"), "cached secret");
    Files.writeString(src.resolve("we\nird/app.log"), "log");
    Files.writeString(src.resolve("keep.txt"), "kept");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      repo.backup(List.of(FileSource.of(src).exclude("cache/**", "**/*.log")));
      Path out = tmp.resolve("out");
      repo.restore(RestoreRequest.builder().destination(out).build());
      assertThat(files(out)).doesNotContain("cache/line\nbreak", "we\nird/app.log");
    }
  }

  @Test
  void restoreExcludesWithDoubleStarCoverNamesWithNewlines() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("cache"));
    Files.createDirectories(src.resolve("we\nird"));
    Files.writeString(src.resolve("cache/line\nbreak"), "cached");
    Files.writeString(src.resolve("we\nird/app.log"), "log");
    Files.writeString(src.resolve("keep.txt"), "kept");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      repo.backup(List.of(FileSource.of(src)));
      Path out = tmp.resolve("out");
      repo.restore(RestoreRequest.builder().destination(out).exclude("cache/**", "**/*.log").build());
      assertThat(files(out)).contains("keep.txt").doesNotContain("cache/line\nbreak", "we\nird/app.log");
    }
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
