package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RestoreRequest excludes: matching entries and everything under them stay out; the rest is whole. */
class RestoreExcludeTest {
  @TempDir Path tmp;

  @Test
  void excludedEntriesAndWhatIsUnderThemAreNotRestored() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("app/cache/deep"));
    Files.createDirectories(src.resolve("app/conf"));
    Files.writeString(src.resolve("app/cache/deep/blob"), "cached");
    Files.writeString(src.resolve("app/conf/app.yaml"), "port: 80\n");
    Files.writeString(src.resolve("app/conf/app.yaml.tmp"), "scratch");
    Files.writeString(src.resolve("notes.tmp"), "scratch");
    Files.writeString(src.resolve("cachefile"), "not the directory");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      repo.backup(List.of(FileSource.of(src)));
      Path out = tmp.resolve("out");
      RestoreReport r = repo.restore(RestoreRequest.builder().destination(out).exclude("app/cache", "**/*.tmp").build());
      assertThat(files(out)).containsExactly("app", "app/conf", "app/conf/app.yaml", "cachefile");
      assertThat(Files.readString(out.resolve("app/conf/app.yaml"))).isEqualTo("port: 80\n");
      assertThat(r.entries()).isEqualTo(4);
      // with an include, the exclude still applies below it
      Path part = tmp.resolve("part");
      repo.restore(RestoreRequest.builder().destination(part).path("app").exclude("**/*.yaml").build());
      assertThat(files(part)).containsExactly("app", "app/cache", "app/cache/deep", "app/cache/deep/blob", "app/conf",
          "app/conf/app.yaml.tmp");
      assertThatThrownBy(() -> RestoreRequest.builder().exclude("[")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
