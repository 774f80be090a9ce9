package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn diff}: restic's marks, metadata-only changes on request, counts, JSON, and a bad id named. */
class DiffCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void showsWhatChangedBetweenTwoBackups() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("old"));
    Files.writeString(data.resolve("a.txt"), "alpha\n");
    Files.writeString(data.resolve("old/o.txt"), "old\n");
    Files.writeString(data.resolve("t.txt"), "same\n");
    Cli cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Files.writeString(data.resolve("a.txt"), "alpha, bravo\n");
    Files.delete(data.resolve("old/o.txt"));
    Files.delete(data.resolve("old"));
    Files.writeString(data.resolve("new.txt"), "new\n");
    Files.setLastModifiedTime(data.resolve("t.txt"), FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    JsonNode snapshots = JSON.readTree(cli.run("snapshots", "--json").out());
    String first = snapshots.get(0).get("short_id").asText();
    String second = snapshots.get(1).get("short_id").asText();

    Cli.Result r = cli.run("diff", first, second);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.outLines()).contains("comparing snapshot " + first + " to " + second + ":",
        "M    a.txt", "+    new.txt", "-    old/", "-    old/o.txt");
    assertThat(r.out()).doesNotContain("t.txt").containsPattern("Files: +1 new, +1 removed, +1 changed")
        .containsPattern("Dirs: +0 new, +1 removed").contains("added:   11 B", "removed: 4 B");
    Cli.Result meta = cli.run("diff", first, "latest", "--metadata");
    assertThat(meta.outLines()).contains("U    t.txt");

    List<JsonNode> docs = cli.run("diff", first, second, "--json").outLines().stream().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new AssertionError(l, e);
      }
    }).toList();
    assertThat(docs).filteredOn(d -> d.get("message_type").asText().equals("change"))
        .extracting(d -> d.get("modifier").asText() + d.get("path").asText())
        .containsExactly("Ma.txt", "+new.txt", "-old", "-old/o.txt");
    JsonNode summary = docs.get(docs.size() - 1);
    assertThat(summary.get("message_type").asText()).isEqualTo("summary");
    assertThat(summary.get("changes").get("file").get("modified").asLong()).isEqualTo(1);
    // counts follow what is listed: metadata-only changes only with --metadata
    assertThat(summary.get("changes").get("file").has("metadata")).isFalse();
    JsonNode withMeta = JSON.readTree(cli.run("diff", first, second, "--json", "--metadata").outLines()
        .stream().reduce((a, b) -> b).orElseThrow());
    assertThat(withMeta.get("changes").get("file").get("metadata").asLong()).isEqualTo(1);
    assertThat(summary.get("bytes_added").asLong()).isEqualTo(11);

    Cli.Result bad = cli.run("diff", first, "ffffffff");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("ffffffff");
  }
}
