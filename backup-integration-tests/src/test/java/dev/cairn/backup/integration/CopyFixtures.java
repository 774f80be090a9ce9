package dev.cairn.backup.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Chunking;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Data, repositories and comparisons shared by the copy tests. */
final class CopyFixtures {
  static final Secret SOURCE_PASSPHRASE = Secret.of("source passphrase");
  static final Secret DEST_PASSPHRASE = Secret.of("another passphrase for the copy");
  /** Small chunks and packs, so a few MiB make many chunks and packs. */
  static final Chunking CHUNKING = Chunking.of(16 * 1024, 64 * 1024, 256 * 1024);
  static final int PACK_SIZE = 512 * 1024;

  private CopyFixtures() {}

  /** A builder with cheap key derivation (tests only), small chunks and packs. */
  static Repository.Builder repository(Storage storage, Secret passphrase) {
    return Repository.builder(storage).passphrase(passphrase).keyDerivation(1024, 1, 1).chunking(CHUNKING)
        .packSize(PACK_SIZE).workers(2).host("test-host");
  }

  /** Writes {@code count} files of {@code size} random (incompressible) bytes under {@code dir}/sub. */
  static void writeFiles(Path dir, String prefix, int count, int size, long seed) throws IOException {
    Random random = new Random(seed);
    Files.createDirectories(dir.resolve("sub"));
    for (int i = 0; i < count; i++) {
      byte[] b = new byte[size];
      random.nextBytes(b);
      Files.write(dir.resolve(i % 2 == 0 ? "sub" : ".").resolve(prefix + i + ".bin").normalize(), b);
    }
  }

  static Snapshot backup(Repository repo, Path dir) {
    return repo.backup(List.of(FileSource.of(dir))).snapshot();
  }

  /** Restores {@code snapshot} (an id) from {@code repo} into {@code into} and asserts it equals {@code expected}. */
  static void assertRestoresTo(Repository repo, String snapshot, Path into, Path expected) throws IOException {
    repo.restore(RestoreRequest.builder().snapshot(snapshot).destination(into).build());
    assertThat(contents(into)).isEqualTo(contents(expected));
  }

  /** Every regular file under {@code dir}, by relative path, with its content as a string of bytes. */
  static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }
}
