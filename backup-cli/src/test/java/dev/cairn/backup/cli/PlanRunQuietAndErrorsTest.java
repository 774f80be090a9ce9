package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `cairn plan run` and `plan drill` print and exit with when something goes wrong, or nothing does. */
class PlanRunQuietAndErrorsTest {
  @TempDir Path dir;

  private Path plan(String extra) throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("a.txt"), "hello\n");
    Files.writeString(dir.resolve("passphrase"), "plan-pw\n");
    Path plan = dir.resolve("plan.yaml");
    Files.writeString(plan, """
        name: infra
        sources:
          - name: data
            type: files
            root: data
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            storage: repo-local
            retention: {keep-last: 3}
          - name: offsite
            storage: repo-offsite
            schedule: monthly
        """ + extra);
    return plan;
  }

  /** docs/cli.md: -q prints "no progress, no informational messages (for cron)"; backup -q prints nothing. */
  @Test
  void quietPlanRunPrintsNothingWhenAllWentWell() throws Exception {
    Path plan = plan("");
    Cli cli = new Cli();
    Cli.Result first = cli.run("plan", "run", "--init", plan.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    Files.writeString(dir.resolve("data/b.txt"), "more\n");
    Cli.Result quiet = cli.run("-q", "plan", "run", plan.toString());
    assertThat(quiet.exitCode()).as(quiet.err()).isZero();
    // for comparison: a plain 'cairn -q backup' that went well prints nothing at all (cron mails nothing)
    Cli.Result backup = new Cli().env("CAIRN_PASSWORD", "plan-pw")
        .run("-q", "backup", "--repo", dir.resolve("repo-local").toString(), dir.resolve("data").toString());
    assertThat(backup.exitCode()).as(backup.err()).isZero();
    assertThat(backup.out()).isEmpty();
    assertThat(quiet.out()).as("cairn -q plan run that went well").isEmpty();
  }

  /**
   * docs/cli.md: "An unexpected error (a bug) says so"; a drill whose report directory cannot be created
   * is a setting to fix, not a bug in cairn, and deserves one line naming the directory.
   */
  @Test
  void drillIntoAnUnusableReportDirectoryIsNotCalledABug() throws Exception {
    Path plan = plan("drill:\n  reports: passphrase/drills\n");
    Cli cli = new Cli();
    Cli.Result run = cli.run("plan", "run", "--init", plan.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Cli.Result drill = cli.run("plan", "drill", plan.toString());
    assertThat(drill.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(drill.err()).contains("drills");
    assertThat(drill.err()).as(drill.err()).doesNotContain("this is a bug in cairn");
  }

  /**
   * docs/cli.md: "with --verbose the stack trace follows" — so without it, none. A drill whose restore
   * fails (here: the repository lost its packs) must say so in its report, not dump a Java stack trace.
   */
  @Test
  void failedDrillPrintsNoStackTraceWithoutVerbose() throws Exception {
    Path plan = plan("");
    Cli cli = new Cli();
    Cli.Result run = cli.run("plan", "run", "--init", plan.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (var packs = Files.walk(dir.resolve("repo-local/data"))) {
      for (Path p : packs.filter(Files::isRegularFile).toList()) {
        Files.delete(p);
      }
    }
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    Cli.Result drill;
    System.setErr(new java.io.PrintStream(captured, true));
    try {
      drill = cli.run("plan", "drill", plan.toString());
    } finally {
      System.setErr(original);
    }
    String stderr = drill.err() + captured;
    assertThat(drill.exitCode()).as(stderr).isEqualTo(ExitCodes.FAILURE);
    assertThat(stderr).as(stderr).doesNotContain("\tat dev.cairn.");
  }

  /** A failed after-backup hook is a failure (1), not an incomplete snapshot (3): the snapshot is whole. */
  @Test
  void aFailedAfterHookExitsOneWithTheSnapshotSaved() throws Exception {
    Path plan = plan("hooks:\n  after: exit 4\n");
    Cli.Result run = new Cli().run("plan", "run", "--init", "--json", plan.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(run.out()).contains("\"complete\":true");
    assertThat(run.err()).contains("after-backup hook failed");
  }
}
