package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn find}: which snapshots hold a name or path, newest first. */
class FindCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void findsNamesAndPathsInEverySnapshotThatHoldsThem() throws Exception {
    Path data = dir.resolve("ansible");
    Files.createDirectories(data.resolve("group_vars"));
    Files.createDirectories(data.resolve("roles/db/tasks"));
    Files.writeString(data.resolve("group_vars/all.yaml"), "x: 1\n");
    Files.writeString(data.resolve("roles/db/tasks/main.yaml"), "- name: db\n");
    Files.writeString(data.resolve("Old-Notes.TXT"), "notes\n");
    Cli cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Files.writeString(data.resolve("group_vars/all.yaml"), "x: 2\n");
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Files.delete(data.resolve("Old-Notes.TXT"));
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    JsonNode snaps = JSON.readTree(cli.run("snapshots", "--json").out());
    String s1 = snaps.get(0).get("short_id").asText();
    String s2 = snaps.get(1).get("short_id").asText();
    String s3 = snaps.get(2).get("short_id").asText();

    // an unchanged directory with a match is found in every snapshot, newest first
    Cli.Result main = cli.run("find", "main.yaml");
    assertThat(main.exitCode()).as(main.err()).isZero();
    assertThat(main.outLines()).filteredOn(l -> l.startsWith("found in snapshot"))
        .extracting(l -> l.split(" ")[3]).containsExactly(s3, s2, s1);
    assertThat(main.outLines()).filteredOn(l -> l.equals("roles/db/tasks/main.yaml")).hasSize(3);

    // a deleted file: only the snapshots that still had it; -i ignores case
    Cli.Result notes = cli.run("find", "old-notes.txt", "-i");
    assertThat(notes.out()).doesNotContain(s3).contains(s2, s1, "Old-Notes.TXT");
    assertThat(cli.run("find", "old-notes.txt").out()).doesNotContain("Old-Notes.TXT").contains("no entry matching");
    // -i also for the source's name in front of a path pattern
    String sourceName = data.toString().substring(1);
    assertThat(cli.run("find", sourceName.toUpperCase(java.util.Locale.ROOT) + "/GROUP_VARS/*.yaml", "-i").out())
        .contains("group_vars/all.yaml");

    // a path glob, several patterns, one snapshot, JSON
    List<JsonNode> docs = cli.run("find", "group_vars/*.yaml", "**/tasks", "--snapshot", s2, "--json").outLines()
        .stream().map(l -> {
          try {
            return JSON.readTree(l);
          } catch (Exception e) {
            throw new AssertionError(l, e);
          }
        }).toList();
    assertThat(docs).filteredOn(d -> d.get("message_type").asText().equals("match"))
        .extracting(d -> d.get("path").asText() + " " + d.get("type").asText())
        .containsExactly("group_vars/all.yaml file", "roles/db/tasks directory");
    assertThat(docs.get(0).get("snapshot").asText()).startsWith(s2);
    JsonNode summary = docs.get(docs.size() - 1);
    assertThat(summary.get("matches").asLong()).isEqualTo(2);
    assertThat(summary.get("snapshots_searched").asLong()).isEqualTo(1);

    // the path as 'ls' and 'snapshots' name the source works too, and a snapshot given twice is searched once
    String source = data.toString().substring(1);
    Cli.Result full = cli.run("find", source + "/group_vars/all.yaml", "-s", "latest", "-s", s3);
    assertThat(full.outLines()).filteredOn(l -> l.startsWith("found in snapshot")).hasSize(1);
    assertThat(full.outLines()).contains("group_vars/all.yaml");

    Cli.Result bad = cli.run("find", "[");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("'['", "not a valid glob");
  }
}
