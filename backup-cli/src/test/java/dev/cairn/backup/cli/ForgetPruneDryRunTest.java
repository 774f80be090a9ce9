package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'forget --keep-... --prune --dry-run' must show the prune that 'forget --keep-... --prune' then does (restic
 * runs the prune dry run as if the snapshots were gone). It showed a prune of the repository with every
 * snapshot still there: nothing to free, while the real run frees most of the repository.
 */
class ForgetPruneDryRunTest {
  @TempDir Path dir;

  @Test
  void forgetPruneDryRunShowsWhatTheRealRunFrees() throws Exception {
    Cli cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    Path data = Files.createDirectories(dir.resolve("data"));
    Random random = new Random(42);
    for (int i = 0; i < 3; i++) {
      byte[] bytes = new byte[3 << 20];
      random.nextBytes(bytes);
      Files.write(data.resolve("big.bin"), bytes);
      assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    }
    String[] args = {"forget", "--keep-last", "1", "--prune", "--safety-window", "0h", "--max-unused", "0", "--json"};
    Cli.Result dry = cli.run(append(args, "--dry-run"));
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    Cli.Result real = cli.run(args);
    assertThat(real.exitCode()).as(real.err()).isZero();
    JsonNode dryPrune = pruneMessage(dry.out());
    JsonNode realPrune = pruneMessage(real.out());
    assertThat(realPrune.get("bytes_freed").asLong()).as("the real run frees two snapshots' data")
        .isGreaterThan(4L << 20);
    assertThat(dryPrune.get("bytes_freed").asLong()).as("the dry run predicts what the real run frees")
        .isEqualTo(realPrune.get("bytes_freed").asLong());
    assertThat(dryPrune.get("packs_deleted").asInt()).isEqualTo(realPrune.get("packs_deleted").asInt());
  }

  private static String[] append(String[] a, String s) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = s;
    return out;
  }

  private static JsonNode pruneMessage(String out) throws Exception {
    ObjectMapper m = new ObjectMapper();
    for (String line : out.split("\n")) {
      if (line.startsWith("{\"message_type\":\"prune\"")) {
        return m.readTree(line);
      }
    }
    throw new AssertionError("no prune message in:\n" + out);
  }
}
