package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryKey;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.WrongPassphraseException;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key slots under damage and interrupted writes. */
class KeySlotFailureTest {
  @TempDir Path tmp;

  private static Path onlyKeyFile(Path repo) throws Exception {
    try (Stream<Path> s = Files.list(repo.resolve("keys"))) {
      List<Path> keys = s.filter(p -> p.getFileName().toString().length() == 64).toList();
      assertThat(keys).hasSize(1);
      return keys.get(0);
    }
  }

  /** Changes one Base64 digit of the wrapped master keys: the file stays valid JSON, but no passphrase opens it. */
  private static void damageWrappedData(Path key) throws Exception {
    byte[] b = Files.readAllBytes(key);
    String json = new String(b, StandardCharsets.UTF_8);
    int data = json.indexOf("\"data\" : \"") + 12;
    b[data] = (byte) (b[data] == 'A' ? 'B' : 'A');
    Files.write(key, b);
  }

  /** A key file torn by bit rot into invalid JSON: it can still be listed around and removed. */
  @Test
  void aKeyFileThatIsNoLongerJsonCanBeListedAroundAndRemoved() throws Exception {
    Path dir = tmp.resolve("repo");
    Storage storage = Storages.local(dir);
    RepositoryKey added;
    try (Repository repo = TestRepos.init(storage)) {
      added = repo.addKey(Secret.of("second passphrase"));
    }
    Path secondKey = dir.resolve("keys").resolve(added.id().hex());
    byte[] b = Files.readAllBytes(secondKey);
    b[b.length / 2] ^= 0x01;
    Files.write(secondKey, b);
    try (Repository repo = TestRepos.open(storage)) {
      repo.removeKey(added.id().hex()); // cairn key remove: the way to get rid of the damaged slot
      assertThat(repo.keys()).hasSize(1);
    }
  }

  /** Bit rot in the metadata of the only key file: the passphrase is right, the key still unwraps. */
  @Test
  void aDamagedKeyFileIsNotReportedAsAWrongPassphrase() throws Exception {
    Path dir = tmp.resolve("repo");
    Storage storage = Storages.local(dir);
    try (Repository repo = TestRepos.builder(storage).host("backup-host").init()) {
      assertThat(repo.keys()).hasSize(1);
    }
    Path key = onlyKeyFile(dir);
    String json = Files.readString(key);
    assertThat(json).contains("backup-host");
    // one flipped bit in the host name ('b' -> 'c'): the wrapped master keys are intact
    Files.writeString(key, json.replace("backup-host", "cackup-host"), StandardCharsets.UTF_8);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.keys()).hasSize(1);
    } catch (WrongPassphraseException e) {
      throw new AssertionError("the right passphrase was reported as wrong (exit 12) because the only key file"
          + " is damaged: " + e.getMessage(), e);
    }
  }

  /** A key file damaged in its wrapped data: the error names the damage instead of blaming the passphrase. */
  @Test
  void anUnusableDamagedKeyFileIsReportedAsDamageNotAsAWrongPassphrase() throws Exception {
    Path dir = tmp.resolve("repo");
    Storage storage = Storages.local(dir);
    try (Repository repo = TestRepos.init(storage)) {
      assertThat(repo.keys()).hasSize(1);
    }
    Path key = onlyKeyFile(dir);
    damageWrappedData(key);
    assertThatThrownBy(() -> TestRepos.open(storage))
        .isNotInstanceOf(WrongPassphraseException.class)
        .hasMessageContaining("keys/" + key.getFileName());
  }

  /**
   * The config upload of an init fails (a full disk, a dropped connection): the location must not be
   * left where init says "a repository exists, open it" and open says "no repository, init one".
   */
  @Test
  void anInitInterruptedBeforeTheConfigCanBeRunAgain() throws Exception {
    FaultyStorage storage = new FaultyStorage(Storages.local(tmp.resolve("repo")));
    storage.failCall(FaultyStorage.Operation.PUT, 2); // 1: the key file, 2: the config
    assertThatThrownBy(() -> TestRepos.init(storage)).isInstanceOf(dev.cairn.backup.StorageException.class);
    storage.heal();
    // at once, it may be another host's init still on its way to the config: refused, saying what to do
    assertThatThrownBy(() -> TestRepos.builder(storage).openOrInit())
        .isInstanceOf(dev.cairn.backup.ConfigurationException.class)
        .hasMessageContaining("key files but no config").hasMessageContaining("10 minutes");
    try (var keys = java.nio.file.Files.list(tmp.resolve("repo/keys"))) {
      for (Path k : keys.toList()) {
        java.nio.file.Files.setLastModifiedTime(k,
            java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(11 * 60)));
      }
    }
    // later, what a plan (openOrInit) or the user (cairn init again) does next
    try (Repository repo = TestRepos.builder(storage).openOrInit()) {
      assertThat(repo.keys()).hasSize(1);
    }
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.keys()).hasSize(1);
    }
  }

  /**
   * Removing the key in use through the API while the only other key file is damaged: "refuses the
   * last key" counted the damaged file, and the repository was left with no key that opens.
   */
  @Test
  void removingTheKeyInUseNeverLeavesOnlyADamagedKey() throws Exception {
    Path dir = tmp.resolve("repo");
    Storage storage = Storages.local(dir);
    Secret second = Secret.of("second passphrase");
    RepositoryKey first;
    RepositoryKey added;
    try (Repository repo = TestRepos.init(storage)) {
      first = repo.keys().get(0);
      added = repo.addKey(second);
    }
    Path secondKey = dir.resolve("keys").resolve(added.id().hex());
    damageWrappedData(secondKey);
    try (Repository repo = TestRepos.open(storage)) {
      try {
        repo.removeKey(first.id().hex());
      } catch (IllegalArgumentException | dev.cairn.backup.ConfigurationException refused) {
        // refused: fine
      }
    }
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.keys()).isNotEmpty();
    }
  }

  /**
   * A key file asking for more Argon2 memory than the heap can give (written with huge parameters, or
   * planted by someone with write access) would end the process with OutOfMemoryError before the keys
   * after it were tried: it is left untried, and named if no other key opens.
   */
  @Test
  void aKeyFileNeedingMoreMemoryThanTheHeapIsNotTriedAndNamed() throws Exception {
    Path dir = tmp.resolve("costly");
    Storage storage = Storages.local(dir);
    TestRepos.init(storage).close();
    Path legit = onlyKeyFile(dir);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode key =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Files.readAllBytes(legit));
    ((com.fasterxml.jackson.databind.node.ObjectNode) key.get("kdf")).put("memoryKiB", 4 * 1024 * 1024);
    byte[] planted = json.writeValueAsBytes(key);
    String name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(planted));
    Files.write(legit.resolveSibling(name), planted);   // a key file is named by its content's SHA-256
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.keys()).hasSize(2);
    }
    Files.delete(legit);
    assertThatThrownBy(() -> TestRepos.open(storage)).isInstanceOf(dev.cairn.backup.ConfigurationException.class)
        .hasMessageContaining(name.substring(0, 8)).hasMessageContaining("raise the heap")
        .hasMessageContaining("Nothing was changed");
  }
}
