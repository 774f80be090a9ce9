package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.Storage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/format.md: "A file of an unknown (newer) version is not damage: it stops the reader with a
 * message to upgrade, and is never skipped." An index file whose envelope has a newer version (the
 * config envelope is written once at init, so a newer Cairn's objects sit next to a version-1 config)
 * was skipped as damaged instead, and 'repair index' then deleted it.
 */
class NewerEnvelopeVersionTest {
  @TempDir Path tmp;

  @Test
  void anIndexFileInANewerEnvelopeStopsTheReaderInsteadOfBeingSkippedAsDamage() throws Exception {
    Path dir = tmp.resolve("repo");
    Storage storage = Storages.local(dir);
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(StreamSource.of("s", "s.txt", () -> new ByteArrayInputStream("hello".repeat(1000).getBytes()))));
    }
    Path index;
    try (Stream<Path> s = Files.list(dir.resolve("index"))) {
      List<Path> all = s.filter(p -> p.getFileName().toString().length() == 64).toList();
      assertThat(all).hasSize(1);
      index = all.get(0);
    }
    byte[] b = Files.readAllBytes(index);
    assertThat(b[0]).isEqualTo((byte) 1);
    b[0] = 2; // as a newer Cairn would write it
    String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    Files.write(dir.resolve("index").resolve(name), b);
    Files.delete(index);
    assertThatThrownBy(() -> TestRepos.open(storage).close())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("version 2");
  }
}
