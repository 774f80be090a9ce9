package dev.cairn.backup.internal.repository;

import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared helpers for repository tests: cheap Argon2, small chunks and packs. */
final class RepositoryFixture {
  static final Secret PASSPHRASE = Secret.of("correct horse battery staple");
  static final Argon2Parameters CHEAP_ARGON2 = new Argon2Parameters(1024, 1, 1);

  private RepositoryFixture() {}

  static RepositoryOptions.Builder options() {
    return RepositoryOptions.builder()
        .argon2(CHEAP_ARGON2)
        .chunker(new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024))
        .packSize(256 * 1024)
        .workers(2)
        .hostname("test-host");
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] text(int n, long seed) {
    Random r = new Random(seed);
    String[] words = {"backup ", "restore ", "chunk ", "pack ", "index ", "snapshot ", "cairn ", "\n"};
    StringBuilder sb = new StringBuilder(n);
    while (sb.length() < n) {
      sb.append(words[r.nextInt(words.length)]);
    }
    return sb.substring(0, n).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Every file under {@code root} with its content, to show that nothing changed. */
  static Map<String, byte[]> snapshotFiles(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          out.put(root.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  static LocalStorage storage(Path dir) {
    return new LocalStorage(dir);
  }
}
