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

  /** The id of directory {@code name}'s tree in tree {@code tree} of the repository in {@code storage}. */
  static dev.cairn.backup.ObjectId subtree(Storage storage, dev.cairn.backup.ObjectId tree, String name) {
    try (var engine = engine(storage)) {
      return dev.cairn.backup.internal.tree.TreeCodec.decode(engine.readBlob(tree), "tree").stream()
          .filter(n -> n.name().equals(name)).findFirst().orElseThrow().subtree();
    }
  }

  /** Flips one bit in the middle of blob {@code id} where it is stored, as bit rot would: {@code repo} is the local repository's directory. */
  static void flipBitInBlob(Storage storage, java.nio.file.Path repo, dev.cairn.backup.ObjectId id)
      throws IOException {
    try (var engine = engine(storage)) {
      var loc = engine.lookup(id).orElseThrow();
      java.nio.file.Path pack = repo.resolve("data/" + loc.pack().hex().substring(0, 2) + "/" + loc.pack().hex());
      byte[] b = java.nio.file.Files.readAllBytes(pack);
      b[(int) loc.offset() + loc.length() / 2] ^= 0x01;
      java.nio.file.Files.write(pack, b);
    }
  }

  private static dev.cairn.backup.internal.repository.EncryptedRepository engine(Storage storage) {
    return dev.cairn.backup.internal.repository.EncryptedRepository.open(storage, PASSPHRASE,
        dev.cairn.backup.internal.repository.RepositoryOptions.defaults());
  }
}
