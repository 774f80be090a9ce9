package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test set-up for repairs: 24 files of 16 KiB backed up into a primary repository and copied into a
 * second one that shares its chunking, as a plan's drives do; with ways to damage the primary's packs.
 */
abstract class TwoCopies {
  @TempDir Path tmp;
  Path src;
  Storage primaryStorage;
  Storage copyStorage;

  @BeforeEach
  void backUpAndCopy() throws IOException {
    src = tmp.resolve("src");
    Files.createDirectories(src);
    Random random = new Random(7);
    for (int i = 0; i < 24; i++) {
      byte[] b = new byte[16 * 1024];
      random.nextBytes(b);
      Files.write(src.resolve("file-" + i + ".bin"), b);
    }
    primaryStorage = Storages.local(tmp.resolve("primary"));
    copyStorage = Storages.local(tmp.resolve("copy"));
    try (Repository primary = TestRepos.init(primaryStorage);
        Repository copy = TestRepos.builder(copyStorage).chunkingFrom(primary).init()) {
      primary.backup(List.of(FileSource.of(src)));
      assertThat(primary.copyTo(copy).copied()).hasSize(1);
    }
  }

  /** The primary's largest pack file (its data). */
  Path largestPack() throws IOException {
    try (Stream<Path> files = Files.walk(tmp.resolve("primary/data"))) {
      return files.filter(Files::isRegularFile).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
  }

  static void flipMiddleByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 0x01;
    Files.write(file, b);
  }

  /** Every regular file below {@code dir} with the SHA-256 of its content. */
  static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), com.google.common.hash.Hashing.sha256().hashBytes(Files.readAllBytes(f))
            .toString());
      }
    }
    return out;
  }
}
