package dev.cairn.backup.internal.repository;

import static dev.cairn.backup.internal.repository.RepositoryFixture.PASSPHRASE;
import static dev.cairn.backup.internal.repository.RepositoryFixture.options;
import static dev.cairn.backup.internal.repository.RepositoryFixture.storage;
import static dev.cairn.backup.internal.repository.RepositoryFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.WrongPassphraseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
  @TempDir
  Path dir;

  private EncryptedRepository open(Secret s) {
    return EncryptedRepository.open(storage(dir), s, options().build());
  }

  @Test
  void addedPassphraseOpensTheSameDataAndRemovedOneNoLonger() {
    Secret second = Secret.of("second passphrase");
    byte[] data = text(5000, 1);
    ObjectId blob;
    ObjectId firstKey;
    ObjectId secondKey;
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, options().build())) {
      blob = repo.chunkId(data, 0, data.length);
      repo.addBlob(BlobType.DATA, blob, data, 0, data.length);
      repo.flush();
      firstKey = repo.keys().get(0).id();
      secondKey = repo.addKey(second);
      assertThat(repo.keys()).hasSize(2);
      assertThat(repo.keys()).filteredOn(KeyInfo::current).extracting(KeyInfo::id).containsExactly(firstKey);
      assertThat(repo.keys()).allMatch(k -> k.host().equals("test-host"));
    }
    try (EncryptedRepository repo = open(second)) {
      assertThat(repo.readBlob(blob)).isEqualTo(data);
      repo.removeKey(firstKey);
      assertThat(repo.keys()).extracting(KeyInfo::id).containsExactly(secondKey);
      assertThatThrownBy(() -> repo.removeKey(secondKey)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("only key");
      assertThatThrownBy(() -> repo.removeKey(firstKey)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no key");
    }
    assertThatThrownBy(() -> open(PASSPHRASE)).isInstanceOf(WrongPassphraseException.class);
  }

  @Test
  void changePassphraseReplacesTheCurrentKey() {
    Secret next = Secret.of("next");
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, options().build())) {
      ObjectId old = repo.keys().get(0).id();
      ObjectId fresh = repo.changePassphrase(next);
      assertThat(repo.keys()).extracting(KeyInfo::id).containsExactly(fresh);
      assertThat(repo.keys().get(0).current()).isTrue();
      assertThat(fresh).isNotEqualTo(old);
    }
    assertThatThrownBy(() -> open(PASSPHRASE)).isInstanceOf(WrongPassphraseException.class);
    try (EncryptedRepository repo = open(next)) {
      assertThat(repo.keys()).hasSize(1);
    }
  }

  @Test
  void keyFileHoldsArgon2ParametersAndNoPlainKeys() throws IOException {
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, options().build())) {
      ObjectId id = repo.keys().get(0).id();
      String json = Files.readString(dir.resolve("keys").resolve(id.hex()));
      assertThat(json).contains("\"algorithm\" : \"argon2id\"", "\"memoryKiB\" : 1024", "\"iterations\" : 1",
          "\"parallelism\" : 1", "\"salt\"", "\"data\"");
      assertThat(json).doesNotContain("chunkerSeed");
    }
  }
}
