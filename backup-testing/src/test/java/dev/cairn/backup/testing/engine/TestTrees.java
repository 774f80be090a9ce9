package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds awkward test trees and compares directories byte- and metadata-exactly. */
final class TestTrees {
  private TestTrees() {}

  /**
   * Writes an awkward tree under {@code root}: empty files, empty dirs, symlinks (relative, absolute,
   * dangling), unicode and space names, odd modes and mtimes, {@code smallFiles} small files and one
   * file of {@code bigBytes} bytes.
   */
  static void writeAwkwardTree(Path root, int smallFiles, long bigBytes) throws IOException {
    Files.createDirectories(root);
    Files.createDirectories(root.resolve("empty dir"));
    Files.createDirectories(root.resolve("deep/a/b/c/d/empty"));
    Files.write(root.resolve("empty file"), new byte[0]);
    Files.writeString(root.resolve("ünïcödé ✓ 名前.txt"), "héllo wörld\n");
    Files.writeString(root.resolve("with  two spaces .txt"), "spaces\n");
    Files.createDirectories(root.resolve("group_vars"));
    Files.writeString(root.resolve("group_vars/all.yaml"), "ntp: pool.ntp.org\n");
    for (String role : new String[] {"web", "db"}) {
      Files.createDirectories(root.resolve("roles/" + role + "/tasks"));
      Files.createDirectories(root.resolve("roles/" + role + "/handlers"));
      Files.writeString(root.resolve("roles/" + role + "/tasks/main.yaml"), "- name: " + role + "\n");
      Files.writeString(root.resolve("roles/" + role + "/handlers/main.yaml"), "- name: restart\n");
    }
    Files.createSymbolicLink(root.resolve("link to file"), Path.of("ünïcödé ✓ 名前.txt"));
    Files.createSymbolicLink(root.resolve("deep/abs link"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("does/not/exist"));
    Files.createSymbolicLink(root.resolve("dir link"), Path.of("deep/a"));
    writeWithMode(root.resolve("run.sh"), "#!/bin/sh\necho hi\n", 0750);
    Path secret = writeWithMode(root.resolve("secret"), "s3cr3t", 0600);
    // modes a restore cannot get from creating the file alone: bits the usual umask clears, a read-only
    // file (written through the descriptor it was created with), and a setgid bit
    writeWithMode(root.resolve("shared.txt"), "everyone may write", 0666);
    writeWithMode(root.resolve("read-only.txt"), "look, do not touch", 0444);
    writeWithMode(root.resolve("setgid-tool"), "#!/bin/sh\n", 02755);
    Path many = root.resolve("many");
    Files.createDirectories(many);
    Random r = new Random(42);
    for (int i = 0; i < smallFiles; i++) {
      Path d = many.resolve("d" + (i % 37));
      Files.createDirectories(d);
      byte[] b = new byte[r.nextInt(3000)];
      r.nextBytes(b);
      Files.write(d.resolve("f" + i + ".bin"), b);
    }
    if (bigBytes > 0) {
      writeBig(root.resolve("big.bin"), bigBytes, 7);
    }
    // distinct mtimes with sub-second parts, also on directories (set last: writes change them)
    Files.setLastModifiedTime(root.resolve("empty file"), FileTime.from(java.time.Instant.parse("2001-02-03T04:05:06.123456789Z")));
    Files.setLastModifiedTime(secret, FileTime.from(java.time.Instant.parse("1999-12-31T23:59:59Z")));
    Files.setLastModifiedTime(root.resolve("deep/a/b"), FileTime.from(java.time.Instant.parse("2010-01-01T00:00:00.5Z")));
    Files.setAttribute(root.resolve("empty dir"), "unix:mode", 0700);
  }

  private static Path writeWithMode(Path file, String content, int mode) throws IOException {
    Files.writeString(file, content);
    Files.setAttribute(file, "unix:mode", mode);
    return file;
  }

  /** Writes {@code size} bytes made of repeated random 1 MiB blocks (fast, and chunkable). */
  static void writeBig(Path file, long size, long seed) throws IOException {
    Random r = new Random(seed);
    byte[][] blocks = new byte[8][1 << 20];
    for (byte[] b : blocks) {
      r.nextBytes(b);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      long left = size;
      int i = 0;
      while (left > 0) {
        byte[] b = blocks[(int) ((i * 7L + (i / 8)) % blocks.length)];
        // vary each block a little so blocks are not exact repeats at chunk scale
        b[i % b.length] ^= (byte) i;
        int n = (int) Math.min(left, b.length);
        out.write(b, 0, n);
        left -= n;
        i++;
      }
    }
  }

  /** A description of every path under {@code root}: type, size, content digest, mode, mtime, link target. */
  static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        StringBuilder d = new StringBuilder();
        if (Files.isSymbolicLink(p)) {
          d.append("link -> ").append(Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          d.append("dir mode=").append(Integer.toOctalString(mode & 07777))
              .append(" mtime=").append(a.get("lastModifiedTime"));
        } else {
          d.append("file size=").append(a.get("size")).append(" mode=").append(Integer.toOctalString(mode & 07777))
              .append(" mtime=").append(a.get("lastModifiedTime")).append(" sha=").append(sha256(p));
        }
        out.put(rel, d.toString());
      }
    }
    return out;
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that {@code restored} holds exactly what {@code original} holds, metadata included. */
  static void assertSameTree(Path original, Path restored) throws IOException {
    Map<String, String> want = describe(original);
    Map<String, String> got = describe(restored);
    assertThat(got.keySet()).containsExactlyElementsOf(want.keySet());
    assertThat(got).isEqualTo(want);
  }
}
