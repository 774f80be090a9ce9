package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn init --copy-chunker-params-from} and {@code cairn copy}, in-process against local repositories. */
class CopyCommandTest {
  @TempDir Path dir;

  @Test
  void copiesSnapshotsToARepositoryWithItsOwnPassphraseAndRestoresFromIt() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("all.yaml"), "hosts: [db, metrics]\n");
    String primary = dir.resolve("primary").toString();
    String usb = dir.resolve("usb").toString();
    Cli cli = new Cli().env("CAIRN_REPOSITORY", primary).env("CAIRN_PASSWORD", "primary pass");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();

    Path fromPassword = Files.writeString(dir.resolve("from-pass"), "primary pass\n");
    Cli initCopy = new Cli().env("CAIRN_PASSWORD", "usb pass");
    Cli.Result init = initCopy.run("init", "--repo", usb, "--copy-chunker-params-from", primary,
        "--from-password-file", fromPassword.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();

    Cli.Result noPassword = cli.run("copy", "--to", usb);
    assertThat(noPassword.exitCode()).isNotZero();
    assertThat(noPassword.err()).contains("no passphrase for repository " + usb)
        .contains("CAIRN_TO_PASSWORD", "--to-password-file").doesNotContain("set CAIRN_PASSWORD ");

    Cli withTo = cli.env("CAIRN_TO_PASSWORD", "usb pass");
    Cli.Result copy = withTo.run("copy", "--from", primary, "--to", usb, "--json");
    assertThat(copy.exitCode()).as(copy.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(copy.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(summary.get("copied")).hasSize(1);
    assertThat(summary.get("shared_chunking").asBoolean()).isTrue();

    Files.writeString(data.resolve("all.yaml"), "hosts: [db, metrics, backup]\n");
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Cli.Result again = withTo.run("copy", "--to", usb, "latest");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("copied 1 snapshots", "(0 already there)");

    Cli restore = new Cli().env("CAIRN_REPOSITORY", usb).env("CAIRN_PASSWORD", "usb pass");
    Path target = dir.resolve("restored");
    Cli.Result restored = restore.run("restore", "latest", "--target", target.toString());
    assertThat(restored.exitCode()).as(restored.err()).isZero();
    assertThat(Files.readString(target.resolve("all.yaml"))).isEqualTo("hosts: [db, metrics, backup]\n");
    assertThat(restore.run("snapshots", "--json").out()).satisfies(out ->
        assertThat(new ObjectMapper().readTree(out)).hasSize(2));

    // a damaged source snapshot: the others are copied, and the copy job exits 1 naming it
    Files.writeString(data.resolve("all.yaml"), "hosts: [db]\n");
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    // the oldest snapshot, already copied: the new one must still go across
    String oldest = new ObjectMapper().readTree(cli.run("snapshots", "--json").out()).get(0).get("id").asText();
    Path damaged = dir.resolve("primary/snapshots/" + oldest);
    byte[] b = Files.readAllBytes(damaged);
    b[b.length / 2] ^= 1;
    Files.write(damaged, b);
    Cli.Result partial = withTo.run("copy", "--to", usb, "--json");
    assertThat(partial.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(partial.err()).contains("could not be read and were not copied", damaged.getFileName().toString().substring(0, 8));
    JsonNode last = new ObjectMapper().readTree(partial.out().lines().reduce((x, y) -> y).orElseThrow());
    assertThat(last.get("unreadable").get(0).asText()).isEqualTo(damaged.getFileName().toString());
    assertThat(restore.run("snapshots", "--json").out()).satisfies(out ->
        assertThat(new ObjectMapper().readTree(out)).hasSize(3));
  }
}
