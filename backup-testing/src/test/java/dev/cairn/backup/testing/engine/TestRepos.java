package dev.cairn.backup.testing.engine;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Test repositories with cheap key derivation, so tests do not spend their time in Argon2. */
final class TestRepos {
  static final Secret PASSPHRASE = Secret.of("correct horse battery staple");

  private TestRepos() {}

  static Repository.Builder builder(Storage storage) {
    return Repository.builder(storage).passphrase(PASSPHRASE).keyDerivation(1024, 1, 1);
  }

  static Repository init(Storage storage) {
    return builder(storage).init();
  }

  static Repository open(Storage storage) {
    return builder(storage).open();
  }

  /** Every object in {@code storage} with its size. */
  static Map<String, Long> objects(Storage storage) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (StorageObject o : storage.list("")) {
      out.put(o.name(), o.size());
    }
    return out;
  }
}
