package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What restore picks: the host's newest for 'latest' in any spelling; never more than the flags say. */
class RestoreHostTest {
  @TempDir Path dir;

  private Cli cli() {
    return new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
  }

  /**
   * 'latest' is read without regard to case (Snapshots.resolve lowercases it), but restore's --host
   * filter only applies to the exact spelling: 'restore LATEST --host web' restores another host's
   * snapshot, silently.
   */
  @Test
  void restoreLatestInCapitalsStillHonoursHost() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("who"), "web\n");
    assertThat(cli.run("backup", "--host", "web", data.toString()).exitCode()).isZero();
    Files.writeString(data.resolve("who"), "db\n");
    assertThat(cli.run("backup", "--host", "db", data.toString()).exitCode()).isZero();

    Path lower = dir.resolve("lower");
    Cli.Result r1 = cli.run("restore", "latest", "--host", "web", "--target", lower.toString());
    assertThat(r1.exitCode()).as(r1.err()).isZero();
    assertThat(lower.resolve("who")).hasContent("web\n");

    Path upper = dir.resolve("upper");
    Cli.Result r2 = cli.run("restore", "LATEST", "--host", "web", "--target", upper.toString());
    assertThat(r2.exitCode()).as(r2.err()).isZero();
    assertThat(upper.resolve("who")).as("restore LATEST --host web").hasContent("web\n");
  }

  /** A database restore takes file sources whole: --include with --mysql is refused, not ignored. */
  @Test
  void fileFiltersWithADatabaseRestoreAreRefusedNotIgnored() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("a"), "a\n");
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Path target = dir.resolve("t");
    Cli.Result r = cli.run("restore", "latest", "--mysql", "jdbc:mysql://127.0.0.1:1/", "--target", target.toString(),
        "--include", "a");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--include").contains("restores every file source").contains("--database");
    assertThat(target).doesNotExist();
  }
}
