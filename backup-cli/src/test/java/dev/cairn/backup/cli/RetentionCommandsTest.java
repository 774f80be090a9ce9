package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn forget}, {@code prune} and {@code unlock}, run in-process on a local repository. */
class RetentionCommandsTest {
  @TempDir Path dir;

  private Cli cli() {
    return new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
  }

  /** Three backups of a directory whose big file changes each time (so each adds data). */
  private Cli threeBackups() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();
    Path data = Files.createDirectories(dir.resolve("data"));
    Random random = new Random(42);
    for (int i = 0; i < 3; i++) {
      byte[] bytes = new byte[3 << 20];
      random.nextBytes(bytes);
      Files.write(data.resolve("big.bin"), bytes);
      assertThat(cli.run("backup", "--tag", i == 0 ? "pinned" : "daily", data.toString()).exitCode()).isZero();
    }
    return cli;
  }

  @Test
  void forgetDryRunShowsReasonsAndRemovesNothing() throws Exception {
    Cli cli = threeBackups();
    Cli.Result r = cli.run("forget", "--keep-last", "1", "--keep-tag", "pinned", "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("last 1 of 1").contains("tag pinned").contains("would remove 1 snapshots, kept 2");
    assertThat(snapshotCount(cli)).isEqualTo(3);

    Cli.Result json = cli.run("forget", "--keep-last", "1", "--dry-run", "--json");
    assertThat(json.out()).startsWith("{\"message_type\":\"forget\"").contains("\"remove\"").contains("\"reasons\"");
  }

  @Test
  void quietForgetAndPruneFromCronPrintNothingWhileADryRunStillShowsItsTable() throws Exception {
    Cli cli = threeBackups();
    Cli.Result dry = cli.run("-q", "forget", "--keep-last", "2", "--dry-run");
    assertThat(dry.out()).as("a dry run is asked for its table").contains("last 2 of 2");
    Cli.Result real = cli.run("-q", "forget", "--keep-last", "2", "--prune");
    assertThat(real.exitCode()).as(real.err()).isZero();
    assertThat(real.out()).as("cron mails nothing when all went well").isEmpty();
    assertThat(snapshotCount(cli)).isEqualTo(2);
    assertThat(cli.run("-q", "prune", "--max-unused", "0", "--safety-window", "0").exitCode())
        .as("a bare 0 is a duration (the runbook writes it so)").isZero();
    assertThat(cli.run("prune").out()).as("without -q the report is shown").isNotEmpty();
  }

  @Test
  void keepWithinPeriodRulesKeepTheNewestOfEachPeriod() throws Exception {
    Cli cli = threeBackups(); // three backups within a minute: one day, one hour
    Cli.Result r = cli.run("forget", "--keep-within-daily", "7d", "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("daily within 7d").contains("would remove 2 snapshots, kept 1");
    Cli.Result hourly = cli.run("forget", "--keep-within-hourly", "1d", "--keep-within-yearly", "5y", "--dry-run");
    assertThat(hourly.out()).contains("hourly within 1d", "yearly within 1825d", "kept 1");
    assertThat(cli.run("forget", "--keep-within-weekly", "3w").exitCode()).isZero();
    assertThat(snapshotCount(cli)).isEqualTo(1);
  }

  @Test
  void forgetByIdRemovesExactlyThoseSnapshots() throws Exception {
    Cli cli = threeBackups();
    String json = cli.run("snapshots", "--json").out();
    com.fasterxml.jackson.databind.JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    String first = list.get(0).get("short_id").asText();
    String second = list.get(1).get("id").asText();
    Cli.Result both = cli.run("forget", first, "--keep-last", "1");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(both.err()).contains("not both");
    Cli.Result grouped = cli.run("forget", first, "--group-by", "host");
    assertThat(grouped.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(grouped.err()).contains("--group-by applies to --keep-* rules");
    Cli.Result unknown = cli.run("forget", first, "0000000000");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unknown.err()).contains("'0000000000'", "nothing was removed");
    assertThat(snapshotCount(cli)).isEqualTo(3);
    assertThat(cli.run("forget", first, second, "--dry-run").out()).contains("would remove " + first);
    assertThat(snapshotCount(cli)).isEqualTo(3);
    assertThat(cli.run("snapshots", "--latest", "2", "--json").out().split("\"id\"", -1)).hasSize(3);
    assertThat(cli.run("snapshots", "--latest", "0").exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.run("snapshots", "--source", "nope", "--json").out().trim()).isEqualTo("[]");
    Cli.Result r = cli.run("forget", first, second);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("removed " + first, "removed " + second.substring(0, 8));
    assertThat(snapshotCount(cli)).isEqualTo(1);
  }

  @Test
  void tagAddsRemovesAndSetsTagsAndKeepTagThenKeepsIt() throws Exception {
    Cli cli = threeBackups();
    Cli.Result none = cli.run("tag", "latest");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(none.err()).contains("nothing to change");
    Cli.Result add = cli.run("tag", "latest", "--add", "release,keep");
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out()).containsPattern("tagged [0-9a-f]{8} \\[daily,release,keep\\]");
    assertThat(cli.run("tag", "latest", "--remove", "daily").out()).contains("[release,keep]");
    assertThat(cli.run("tag", "latest", "--set", "keep").out()).contains("[keep]");
    assertThat(cli.run("snapshots", "--tag", "keep", "--json").out().split("\"id\"", -1)).hasSize(2);
    // a retention rule sees a new tag: pinning the middle snapshot keeps all three
    String middle = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("snapshots", "--json").out())
        .get(1).get("id").asText();
    assertThat(cli.run("forget", "--keep-last", "1", "--keep-tag", "pinned", "--dry-run").out())
        .contains("would remove 1 snapshots, kept 2");
    assertThat(cli.run("tag", middle, "--add", "pinned").exitCode()).isZero();
    assertThat(cli.run("forget", "--keep-last", "1", "--keep-tag", "pinned", "--dry-run").out())
        .contains("would remove 0 snapshots, kept 3");
  }

  @Test
  void forgetWithPruneRemovesSnapshotsAndFreesSpace() throws Exception {
    Cli cli = threeBackups();
    long before = size(dir.resolve("repo"));
    Cli.Result r = cli.run("forget", "--keep-last", "1", "--prune", "--safety-window", "0h", "--max-unused", "0");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("removed 2 snapshots, kept 1").contains("free:");
    assertThat(snapshotCount(cli)).isEqualTo(1);
    assertThat(size(dir.resolve("repo"))).isLessThan(before - (4 << 20));
    Path restored = dir.resolve("restored");
    assertThat(cli.run("restore", "latest", "--target", restored.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(restored.resolve("big.bin"))).isEqualTo(Files.readAllBytes(dir.resolve("data/big.bin")));
    assertThat(cli.run("verify", "--read-data").exitCode()).isZero();
  }

  @Test
  void pruneDryRunChangesNothingAndUnlockRuns() throws Exception {
    Cli cli = threeBackups();
    assertThat(cli.run("forget", "--keep-last", "1").exitCode()).isZero();
    long before = size(dir.resolve("repo"));
    Cli.Result dry = cli.run("prune", "--dry-run", "--safety-window", "0h");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would delete:");
    assertThat(size(dir.resolve("repo"))).isEqualTo(before);

    Cli.Result unlock = cli.run("unlock", "--remove-all");
    assertThat(unlock.exitCode()).as(unlock.err()).isZero();
    assertThat(unlock.out()).contains("removed 0 locks");
  }

  @Test
  void forgetWithoutARuleIsRefused() throws Exception {
    Cli cli = threeBackups();
    Cli.Result r = cli.run("forget");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--keep-daily");
    assertThat(cli.run("forget", "--keep-within", "3x").err()).contains("'3x' is not a duration");
    assertThat(snapshotCount(cli)).isEqualTo(3);
  }

  private static long snapshotCount(Cli cli) {
    return cli.run("snapshots", "--json").out().split("\"id\"", -1).length - 1;
  }

  private static long size(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
