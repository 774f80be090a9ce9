package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn dump}: a file's bytes to stdout, a directory or source as a tar archive that GNU tar
 * unpacks into what a restore writes, and clear failures that leave nothing half-written behind.
 */
class DumpCommandTest {
  @TempDir Path dir;
  private Path data;
  private Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    data = dir.resolve("data");
    Files.createDirectories(data.resolve("sub/deeper"));
    Files.createDirectories(data.resolve("empty"));
    Files.writeString(data.resolve("a.txt"), "alpha\n");
    Files.writeString(data.resolve("sub/b.txt"), "bravo ".repeat(10_000));
    byte[] random = new byte[3 << 20];
    new Random(9).nextBytes(random);
    Files.write(data.resolve("sub/deeper/c.bin"), random);
    Files.setPosixFilePermissions(data.resolve("sub/deeper/c.bin"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(data.resolve("with space ü " + "long".repeat(30) + ".txt"), "unicode and a long name\n");
    Files.createSymbolicLink(data.resolve("link"), Path.of("a.txt"));
    cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    Cli.Result backup = cli.run("backup", data.toString());
    assertThat(backup.exitCode()).as(backup.err()).isZero();
  }

  @Test
  void aFileGoesToStdoutAsItsBytes() throws IOException {
    Cli.Result r = cli.run("dump", "latest", "sub/deeper/c.bin");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.data()).isEqualTo(Files.readAllBytes(data.resolve("sub/deeper/c.bin")));
    assertThat(r.out()).isEmpty();
    // the source name (the original absolute path) may lead, as with ls and restore
    Cli.Result absolute = cli.run("dump", "latest", data.resolve("sub/b.txt").toString());
    assertThat(absolute.exitCode()).as(absolute.err()).isZero();
    assertThat(absolute.data()).isEqualTo(Files.readAllBytes(data.resolve("sub/b.txt")));
  }

  @Test
  void theWholeSourceIsATarThatUnpacksLikeARestore() throws Exception {
    Cli.Result r = cli.run("dump", "latest", "/");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path unpacked = untar(r.data());
    Path restored = dir.resolve("restored");
    assertThat(cli.run("restore", "latest", "--target", restored.toString()).exitCode()).isZero();
    assertThat(tree(unpacked)).isEqualTo(tree(restored)).contains("empty/", "link -> a.txt", "sub/deeper/c.bin " + (3 << 20));
    for (String f : List.of("a.txt", "sub/b.txt", "sub/deeper/c.bin")) {
      assertThat(Files.mismatch(data.resolve(f), unpacked.resolve(f))).as(f).isEqualTo(-1);
      assertThat(Files.getLastModifiedTime(unpacked.resolve(f)).toMillis() / 1000)
          .isEqualTo(Files.getLastModifiedTime(data.resolve(f)).toMillis() / 1000);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unpacked.resolve("sub/deeper/c.bin"))))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void aDirectoryIsATarOfItAndItsParents() throws Exception {
    Cli.Result r = cli.run("dump", "latest", "sub/deeper");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(r.data()))) {
      for (TarArchiveEntry e; (e = in.getNextTarEntry()) != null; ) {
        names.add(e.getName() + " " + e.getSize());
      }
    }
    assertThat(names).containsExactly("sub/ 0", "sub/deeper/ 0", "sub/deeper/c.bin " + (3 << 20));
    // --tar archives a single file too
    Cli.Result file = cli.run("dump", "latest", "a.txt", "--tar");
    assertThat(file.exitCode()).as(file.err()).isZero();
    assertThat(Files.readString(untar(file.data()).resolve("a.txt"))).isEqualTo("alpha\n");
  }

  @Test
  void withSeveralSourcesArchiveNamesStartWithTheSourceAsInARestore() throws Exception {
    Cli two = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo2").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(two.run("init").exitCode()).isZero();
    assertThat(two.run("backup", data.resolve("sub").toString(), data.resolve("a.txt").toString()).exitCode())
        .isZero();
    String source = data.resolve("sub").toString().substring(1);
    Cli.Result r = two.run("dump", "latest", source + "/deeper");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path unpacked = untar(r.data());
    Path restored = dir.resolve("restored2");
    assertThat(two.run("restore", "latest", "--target", restored.toString(), "--include", source + "/deeper")
        .exitCode()).isZero();
    assertThat(tree(unpacked)).isEqualTo(tree(restored)).contains(source + "/deeper/c.bin " + (3 << 20));
    // '/' is the whole snapshot: each source under its name, unpacking as a full restore does
    Cli.Result all = two.run("dump", "latest", "/");
    assertThat(all.exitCode()).as(all.err()).isZero();
    Path allRestored = dir.resolve("restored-all");
    assertThat(two.run("restore", "latest", "--target", allRestored.toString()).exitCode()).isZero();
    assertThat(tree(untar(all.data()))).isEqualTo(tree(allRestored))
        .contains(source + "/deeper/c.bin " + (3 << 20), data.resolve("a.txt").toString().substring(1) + "/a.txt 6");
  }

  @Test
  void outputFileIsWrittenAndNeverOverwritten() throws IOException {
    Path target = dir.resolve("b.out");
    Cli.Result r = cli.run("dump", "latest", "sub/b.txt", "--output", target.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.mismatch(target, data.resolve("sub/b.txt"))).isEqualTo(-1);
    assertThat(r.out()).contains("wrote", target.toString());
    Cli.Result again = cli.run("dump", "latest", "a.txt", "-o", target.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(again.err()).contains(target + " already exists");
    assertThat(Files.mismatch(target, data.resolve("sub/b.txt"))).isEqualTo(-1);
  }

  @Test
  void aReaderThatGoesAwayStopsTheDumpWithOneLine() {
    java.io.OutputStream closesAfter100k = new java.io.OutputStream() {
      private long n;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if ((n += len) > 100_000) {
          throw new IOException("Broken pipe");
        }
      }
    };
    Cli.Result r = cli.stdout(closesAfter100k).run("dump", "latest", "sub/deeper/c.bin");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).startsWith("cairn: cannot write to standard output after ").contains("Broken pipe")
        .doesNotContain("--verbose").doesNotContain("Exception");
  }

  @Test
  void aFullDiskFailsTheDump() throws IOException {
    try (var full = new java.io.FileOutputStream("/dev/full")) {
      Cli.Result r = cli.stdout(full).run("dump", "latest", "/");
      assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.err()).contains("cannot write to standard output", "No space left on device");
    }
  }

  @Test
  void anArchiveIsNotWrittenToATerminalButAFileIs() {
    cli.stdoutTerminal(true);
    Cli.Result dir = cli.run("dump", "latest", "sub");
    assertThat(dir.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(dir.err()).contains("'sub' is a directory", "not written to a terminal", "-o FILE");
    assertThat(dir.data()).isEmpty();
    assertThat(cli.run("dump", "latest", "a.txt", "--tar").err()).contains("not written to a terminal");
    Cli.Result file = cli.run("dump", "latest", "a.txt");
    assertThat(file.exitCode()).as(file.err()).isZero();
    assertThat(new String(file.data(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("alpha\n");
  }

  @Test
  void jsonProgressNeverMixesIntoTheDumpedBytes() throws IOException {
    // a reader slower than the progress ticker's first second: no status line may appear on stdout
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    java.io.OutputStream slow = new java.io.FilterOutputStream(got) {
      private boolean waited;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!waited) {
          waited = true;
          try {
            Thread.sleep(1500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        out.write(b, off, len);
      }
    };
    Cli.Result slowRun = cli.stdout(slow).run("--json", "dump", "latest", "sub/deeper/c.bin");
    assertThat(slowRun.exitCode()).as(slowRun.err()).isZero();
    assertThat(slowRun.out()).isEmpty();
    assertThat(got.toByteArray()).isEqualTo(Files.readAllBytes(data.resolve("sub/deeper/c.bin")));
    cli.stdout(null);
    Cli.Result r = cli.run("--json", "dump", "latest", "sub/deeper/c.bin");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.data()).isEqualTo(Files.readAllBytes(data.resolve("sub/deeper/c.bin")));
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aPathNotInTheSnapshotIsNamed() {
    Cli.Result r = cli.run("dump", "latest", "sub/nothing.txt");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("'sub/nothing.txt'", "cairn ls");
    assertThat(r.data()).isEmpty();
  }

  @Test
  void damageFailsTheDumpAndRemovesTheOutputFile() throws IOException {
    Path pack;
    try (Stream<Path> walk = Files.walk(dir.resolve("repo/data"))) {
      pack = walk.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(pack, bytes);
    Path target = dir.resolve("c.out");
    Cli.Result r = cli.run("dump", "latest", "sub/deeper/c.bin", "--output", target.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("cairn: ").containsIgnoringCase("damaged");
    assertThat(target).doesNotExist();
  }

  @Test
  void aCommandsOutputIsCheckedAgainstItsRecordedSha256() {
    Cli other = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo2").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(other.run("init").exitCode()).isZero();
    assertThat(other.run("backup", "--stdin-from-command", "seq 1 100000", "--stdin-filename", "numbers.txt")
        .exitCode()).isZero();
    Cli.Result r = other.run("--verbose", "dump", "latest", "numbers.txt");
    assertThat(r.exitCode()).as(r.err()).isZero();
    String text = new String(r.data(), java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(text).startsWith("1\n2\n").endsWith("\n100000\n");
    assertThat(text.lines()).hasSize(100_000);
  }

  private Path untar(byte[] archive) throws Exception {
    Path into = Files.createTempDirectory(dir, "untar");
    Process p = new ProcessBuilder("tar", "-xf", "-", "-C", into.toString()).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(archive);
    }
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("tar: " + output).isZero();
    return into;
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !p.equals(root)).map(p -> {
        String rel = root.relativize(p).toString();
        try {
          if (Files.isSymbolicLink(p)) {
            return rel + " -> " + Files.readSymbolicLink(p);
          }
          return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? rel + "/" : rel + " " + Files.size(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }
}
