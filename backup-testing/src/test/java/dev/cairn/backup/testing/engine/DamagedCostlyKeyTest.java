package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key file whose content does not match its name (bit rot, or planted) is tried last, but without the
 * Argon2 memory check the intact ones get: its huge memoryKiB ends the open with OutOfMemoryError.
 */
class DamagedCostlyKeyTest {
  @TempDir Path tmp;

  @Test
  void aDamagedKeyFileAskingForHugeArgon2MemoryDoesNotEndTheOpenWithOutOfMemoryError() throws Exception {
    Path dir = tmp.resolve("repo");
    Storage storage = Storages.local(dir);
    TestRepos.init(storage).close();
    Path legit;
    try (Stream<Path> s = Files.list(dir.resolve("keys"))) {
      List<Path> keys = s.filter(p -> p.getFileName().toString().length() == 64).toList();
      legit = keys.get(0);
    }
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode key =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Files.readAllBytes(legit));
    ((com.fasterxml.jackson.databind.node.ObjectNode) key.get("kdf")).put("memoryKiB", 4 * 1024 * 1024); // 4 GiB, the most a key file may ask
    // named by something else than its content's SHA-256: "damaged", so tried last and unchecked
    Files.write(legit.resolveSibling("ab".repeat(32)), json.writeValueAsBytes(key));
    assertThatThrownBy(() -> TestRepos.builder(storage).passphrase(Secret.of("a wrong passphrase")).open())
        .isInstanceOf(BackupException.class);
  }
}
