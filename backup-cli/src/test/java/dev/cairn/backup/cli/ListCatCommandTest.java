package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn list} and {@code cairn cat}: a repository's objects by hand, decrypted and checked. */
class ListCatCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Cli cli;
  private Path data;

  @BeforeEach
  void backUp() throws Exception {
    data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("all.yaml"), "ntp: pool.ntp.org\n");
    cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
  }

  private String cat(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return new String(r.data(), StandardCharsets.UTF_8);
  }

  @Test
  void listsAndShowsEveryKindOfObject() throws Exception {
    List<String> snapshots = cli.run("list", "snapshots").outLines();
    assertThat(snapshots).hasSize(1);
    JsonNode listed = JSON.readTree(cli.run("snapshots", "--json").out());
    assertThat(snapshots.get(0)).isEqualTo(listed.get(0).get("id").asText());
    assertThat(cli.run("list", "packs").outLines()).isNotEmpty();
    assertThat(cli.run("list", "keys").outLines()).hasSize(1);
    List<String> blobs = cli.run("list", "blobs").outLines();
    assertThat(blobs).anyMatch(l -> l.startsWith("tree ")).anyMatch(l -> l.startsWith("data "));

    assertThat(JSON.readTree(cat("cat", "config")).get("chunker").get("algorithm").asText()).startsWith("fastcdc");
    JsonNode snapshot = JSON.readTree(cat("cat", "snapshot", snapshots.get(0).substring(0, 8)));
    String tree = snapshot.get("sources").get(0).get("tree").asText();
    JsonNode nodes = JSON.readTree(cat("cat", "tree", tree)).get("nodes");
    assertThat(nodes.get(0).get("name").asText()).isEqualTo("all.yaml");
    String chunk = nodes.get(0).get("content").get(0).asText();
    assertThat(cli.run("cat", "blob", chunk).data()).isEqualTo(Files.readAllBytes(data.resolve("all.yaml")));
    String index = cli.run("list", "index").outLines().get(0);
    JsonNode indexJson = JSON.readTree(cat("cat", "index", index));
    String pack = indexJson.get("packs").get(0).get("id").asText();
    assertThat(JSON.readTree(cat("cat", "pack", pack)).get("blobs")).isNotEmpty();
    assertThat(JSON.readTree(cat("cat", "key", cli.run("list", "keys").outLines().get(0))).has("kdf")).isTrue();
  }

  @Test
  void refusesWhatItCannotShowAndNamesDamage() throws Exception {
    Cli.Result kind = cli.run("cat", "bogus");
    assertThat(kind.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(kind.err()).contains("'bogus' cannot be shown", "config, snapshot");
    assertThat(cli.run("list", "trees").err()).contains("'trees' cannot be listed");
    assertThat(cli.run("cat", "snapshot").err()).contains("give the snapshot's id");
    assertThat(cli.run("cat", "snapshot", "ffffffff").err()).contains("no snapshot with id 'ffffffff'");
    String chunk = cli.run("list", "blobs").outLines().stream().filter(l -> l.startsWith("data ")).findFirst()
        .orElseThrow().substring(5);
    assertThat(cli.run("cat", "tree", chunk).err()).contains("is a data blob, not a tree");
    Cli.Result toTerminal = cli.stdoutTerminal(true).run("cat", "blob", chunk);
    assertThat(toTerminal.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(toTerminal.err()).contains("not written to a terminal");
    cli.stdoutTerminal(false);

    String id = cli.run("list", "snapshots").outLines().get(0);
    Path file = dir.resolve("repo/snapshots/" + id);
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 1;
    Files.write(file, b);
    Cli.Result damaged = cli.run("cat", "snapshot", id);
    assertThat(damaged.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(damaged.err()).contains("damaged");
  }
}
