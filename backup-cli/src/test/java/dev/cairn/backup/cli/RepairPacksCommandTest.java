package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn repair packs}: exit codes and messages when a copy cannot give everything back, or is this repository. */
class RepairPacksCommandTest {
  @TempDir Path dir;

  private Cli setUp() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 12; i++) {
      byte[] b = new byte[20_000];
      random.nextBytes(b);
      Files.write(data.resolve("table-" + i + ".ibd"), b);
    }
    String primary = dir.resolve("primary").toString();
    Cli cli = new Cli().env("CAIRN_REPOSITORY", primary).env("CAIRN_PASSWORD", "primary pass")
        .env("CAIRN_FROM_PASSWORD", "usb pass");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    return cli;
  }

  private Path largestPack() throws Exception {
    try (var files = Files.walk(dir.resolve("primary/data"))) {
      return files.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
  }

  @Test
  void blobsStillLostAfterARepairWithACopyExitOne() throws Exception {
    Cli cli = setUp();
    String primary = dir.resolve("primary").toString();
    // a copy that shares the chunking but lacks the data (a new drive, not yet copied to)
    String usb = dir.resolve("usb").toString();
    Path fromPassword = Files.writeString(dir.resolve("from-pass"), "primary pass\n");
    assertThat(new Cli().env("CAIRN_PASSWORD", "usb pass").run("init", "--repo", usb, "--copy-chunker-params-from",
        primary, "--from-password-file", fromPassword.toString()).exitCode()).isZero();
    Path pack = largestPack();
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(pack, bytes);
    Cli.Result first = cli.run("repair", "packs");
    assertThat(first.exitCode()).isEqualTo(ExitCodes.FAILURE);

    Cli.Result dry = cli.run("repair", "packs", "--from", usb, "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isEqualTo(ExitCodes.FAILURE);
    Cli.Result again = cli.run("repair", "packs", "--from", usb, "--json");
    assertThat(again.exitCode()).as("blobs snapshots need are still lost: " + again.out())
        .isEqualTo(ExitCodes.FAILURE);
    assertThat(again.out()).contains("\"lost_blobs\":[\"");
    assertThat(again.err()).contains("blobs are lost", "try another copy with --from");
    assertThat(cli.run("verify").exitCode()).as("the repository is still missing blobs").isEqualTo(ExitCodes.FAILURE);
  }

  @Test
  void sameRepositoryThroughASymlink() throws Exception {
    Cli cli = setUp();
    Path pack = largestPack();
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(pack, bytes);
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("primary"));
    Cli c = cli.env("CAIRN_FROM_PASSWORD", "primary pass");
    Cli.Result r = c.run("repair", "packs", "--from", link.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("is this repository").doesNotContain("cairn unlock");
    String other = dir.resolve("other").toString();
    assertThat(new Cli().env("CAIRN_PASSWORD", "usb pass").run("init", "--repo", other).exitCode()).isZero();
    Cli.Result stranger = cli.env("CAIRN_FROM_PASSWORD", "usb pass").run("repair", "packs", "--from", other);
    assertThat(stranger.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(stranger.err()).contains("does not share its chunking");
    assertThat(pack).as("nothing was changed").exists();
  }

  @Test
  void repairPacksTakesWhatBitRotDamagedBackFromTheOtherCopy() throws Exception {
    Cli cli = setUp().env("CAIRN_TO_PASSWORD", "usb pass");
    Path data = dir.resolve("data");
    String primary = dir.resolve("primary").toString();
    String usb = dir.resolve("usb").toString();
    Path fromPassword = Files.writeString(dir.resolve("from-pass"), "primary pass\n");
    assertThat(new Cli().env("CAIRN_PASSWORD", "usb pass").run("init", "--repo", usb, "--copy-chunker-params-from",
        primary, "--from-password-file", fromPassword.toString()).exitCode()).isZero();
    assertThat(cli.run("copy", "--to", usb).exitCode()).isZero();

    Path pack = largestPack();
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(pack, bytes);
    String packId = pack.getFileName().toString();
    assertThat(cli.run("verify", "--read-data").exitCode()).isEqualTo(ExitCodes.FAILURE);

    // without a copy, some blobs would be lost: the dry run says so, exits 1 and changes nothing
    Cli.Result dry = cli.run("repair", "packs", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(dry.out()).contains("would replace 1 damaged or missing");
    assertThat(dry.err()).contains(packId).contains("lost").contains("--from");
    assertThat(pack).exists();
    Cli.Result unknown = cli.run("repair", "packs", "fffffffffff");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(unknown.err()).contains("no pack with id 'fffffffffff'");

    Cli.Result repair = cli.env("CAIRN_FROM_PASSWORD", "usb pass").run("repair", "packs", packId.substring(0, 12),
        "--from", usb, "--json");
    assertThat(repair.exitCode()).as(repair.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(repair.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(summary.get("repaired_packs").get(0).asText()).isEqualTo(packId);
    assertThat(summary.get("lost_blobs")).isEmpty();
    assertThat(summary.get("blobs_from_copy").asLong()).isPositive();
    assertThat(pack).doesNotExist();

    Cli.Result verify = cli.run("verify", "--read-data");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    Path target = dir.resolve("restored");
    assertThat(cli.run("restore", "latest", "--target", target.toString()).exitCode()).isZero();
    for (int i = 0; i < 12; i++) {
      assertThat(target.resolve("table-" + i + ".ibd")).hasSameBinaryContentAs(data.resolve("table-" + i + ".ibd"));
    }
  }
}
