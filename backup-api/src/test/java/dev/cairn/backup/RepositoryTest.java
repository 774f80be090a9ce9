package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepositoryTest {
  @Test
  void sourceDirectoriesStayInsideTheDestination() {
    Path dest = Path.of("/tmp/restore");
    assertThat(Repository.sourceDirectory(dest, "files")).isEqualTo(Path.of("/tmp/restore/files"));
    assertThat(Repository.sourceDirectory(dest, "/etc")).isEqualTo(Path.of("/tmp/restore/etc"));
    assertThat(Repository.sourceDirectory(dest, "/srv/www")).isEqualTo(Path.of("/tmp/restore/srv/www"));
    assertThat(Repository.sourceDirectory(dest, "../../etc")).isEqualTo(Path.of("/tmp/restore/.._.._etc"));
    assertThat(Repository.sourceDirectory(dest, "/")).isEqualTo(Path.of("/tmp/restore/_"));
  }
}
