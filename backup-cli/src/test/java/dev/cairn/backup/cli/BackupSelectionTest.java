package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code cairn backup PATH} selects, for PATHs that are single files or symlinks. */
class BackupSelectionTest {
  @TempDir Path dir;
  private Path repo;
  private Path data;
  private Cli cli;

  @BeforeEach
  void setUp() {
    repo = dir.resolve("repo");
    data = dir.resolve("data");
    cli = new Cli().env("CAIRN_REPOSITORY", repo.toString()).env("CAIRN_PASSWORD", "correct horse");
    assertThat(cli.run("init").exitCode()).isZero();
  }

  private Path restore() {
    Path target = dir.resolve("restored-" + System.nanoTime());
    Cli.Result r = cli.run("restore", "latest", "--target", target.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return target;
  }

  /** A file whose name ends in a space: the include glob made of its name is trimmed, so another file is stored. */
  @Test
  void aFileWhoseNameEndsInASpaceIsBackedUpItself() throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("notes.txt "), "the file asked for");
    Files.writeString(data.resolve("notes.txt"), "a different file");
    Cli.Result r = cli.run("backup", data.resolve("notes.txt ").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path target = restore();
    // today: the snapshot holds the sibling "notes.txt" (content "a different file") and not the file given
    assertThat(Files.exists(target.resolve("notes.txt"))).as("a file that was not given").isFalse();
    assertThat(Files.exists(target.resolve("notes.txt "))).as("the given file was restored").isTrue();
    assertThat(Files.readString(target.resolve("notes.txt "))).isEqualTo("the file asked for");
    assertThat(Files.exists(target.resolve("notes.txt"))).as("a file that was not given").isFalse();
  }

  /** Alone, a file whose name ends in a space is silently left out: an empty snapshot, exit 0. */
  @Test
  void aFileWhoseNameEndsInASpaceIsNotSilentlyLeftOut() throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("report "), "quarterly numbers");
    Cli.Result r = cli.run("backup", data.resolve("report ").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Path target = restore();
    assertThat(target.resolve("report ")).exists().hasContent("quarterly numbers");
  }

  /** A file named with '[' cannot be backed up on its own: its escaped glob is not a valid regex class. */
  @Test
  void aFileWithABracketInItsNameCanBeBackedUp() throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("photo[1].jpg"), "jpeg");
    Cli.Result r = cli.run("backup", data.resolve("photo[1].jpg").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(restore().resolve("photo[1].jpg")).hasContent("jpeg");
  }

  /**
   * Backing up one file walks its whole directory tree and reports every special file in it: a socket
   * or FIFO somewhere below ({@code ~/.gnupg/S.gpg-agent} next to {@code ~/.bashrc}) makes the snapshot
   * of the one, readable file "incomplete" with exit 3.
   */
  @Test
  void oneFileIsCompleteWhateverElseItsDirectoryHolds() throws Exception {
    Files.createDirectories(data.resolve(".gnupg"));
    Files.writeString(data.resolve(".bashrc"), "alias ll='ls -l'\n");
    Process mkfifo = new ProcessBuilder("mkfifo", data.resolve(".gnupg/S.gpg-agent").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    Cli.Result r = cli.run("backup", data.resolve(".bashrc").toString());
    assertThat(r.err()).doesNotContain("S.gpg-agent");
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  /**
   * {@code -x} with a PATH that is a symlink to a directory on another file system: the root's device is
   * taken from the link, so every subdirectory looks like a mount point and is stored empty, silently.
   */
  @Test
  void oneFileSystemThroughASymlinkedPathKeepsSubdirectories() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeThat(Files.isWritable(shm)).isTrue();
    Path real = Files.createTempDirectory(shm, "cairn-hunt");
    try {
      assumeThat(Files.getAttribute(real, "unix:dev")).isNotEqualTo(Files.getAttribute(dir, "unix:dev"));
      Files.createDirectories(real.resolve("sub"));
      Files.writeString(real.resolve("top.txt"), "top");
      Files.writeString(real.resolve("sub/inner.txt"), "inner");
      Path link = dir.resolve("data-link");
      Files.createSymbolicLink(link, real);
      Cli.Result r = cli.run("backup", "-x", link.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
      Path target = restore();
      assertThat(target.resolve("top.txt")).hasContent("top");
      assertThat(target.resolve("sub/inner.txt")).hasContent("inner");
    } finally {
      try (var walk = Files.walk(real)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Two PATHs, one inside the other, gave a snapshot whose restore failed part-way (the sources collide
   * side by side): refused at backup time, naming both.
   */
  @Test
  void overlappingPathsAreRefusedAtBackupTime() throws Exception {
    Files.createDirectories(data.resolve("sub"));
    Files.writeString(data.resolve("f.txt"), "f");
    Files.writeString(data.resolve("sub/g.txt"), "g");
    Cli.Result nested = cli.run("backup", data.toString(), data.resolve("sub").toString());
    assertThat(nested.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(nested.err()).contains("lies inside PATH " + data).contains("-x");
    Cli.Result file = cli.run("backup", data.resolve("f.txt").toString(), data.toString());
    assertThat(file.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.run("backup", data.toString(), data.toString()).err()).contains("given twice");
    assertThat(cli.run("snapshots", "--json").out()).as("nothing was backed up").isEqualTo("[]\n");
  }
}
