package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An option that would be ignored is refused, naming it, before anything is done. */
class IgnoredOptionsTest {
  @TempDir Path dir;

  private Cli cli() {
    return new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
  }

  private void refused(Cli.Result r, String option, String... needs) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains(option).contains(needs);
  }

  @Test
  void optionsThatNeedAnotherAreRefusedWithoutIt() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("a"), "a\n");
    refused(cli.run("backup", "--stdin-filename", "db.sql", data.toString()), "--stdin-filename", "--stdin",
        "would be ignored");
    assertThat(cli.run("snapshots", "--json").out()).isEqualTo("[]\n");   // nothing was backed up
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    refused(cli.run("restore", "latest", "--target", dir.resolve("t").toString(), "--database", "app"), "--database",
        "--mysql");
    refused(cli.run("restore", "latest", "--target", dir.resolve("t").toString(), "--allow-non-empty"),
        "--allow-non-empty", "--mysql or --influx");
    assertThat(dir.resolve("t")).doesNotExist();
    refused(cli.run("forget", "--keep-last", "1", "--max-unused", "0"), "--max-unused", "--prune");
    refused(cli.run("init", "--repo", dir.resolve("other").toString(), "--from-password-file", "x"),
        "--from-password-file", "--copy-chunker-params-from");
    assertThat(dir.resolve("other")).doesNotExist();
  }

  @Test
  void planCommandsRefuseTheRepositoryOptions() throws Exception {
    Path plan = Files.writeString(dir.resolve("plan.yaml"), "name: x\n");
    Cli.Result r = new Cli().run("plan", "status", "--repo", dir.resolve("repo").toString(), plan.toString());
    refused(r, "--repo", "the plan file names its targets");
    refused(new Cli().run("plan", "run", "-r", dir.resolve("repo").toString(), plan.toString()), "--repo",
        "does not apply here");
  }
}
