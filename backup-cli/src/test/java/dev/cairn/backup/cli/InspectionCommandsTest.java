package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the inspection commands answer, which a user acts on: find, diff --metadata, stats and ls, tag, dump. */
class InspectionCommandsTest {
  @TempDir Path dir;

  private Cli cli() {
    Cli cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    return cli;
  }

  /** docs/cli.md's own example '**' + '/tasks/main.yaml' must find tasks/main.yaml at the source's root. */
  @Test
  void findDoubleStarPrefixMatchesAtTheRoot() throws Exception {
    Path data = dir.resolve("role");
    Files.createDirectories(data.resolve("tasks"));
    Files.createDirectories(data.resolve("sub/tasks"));
    Files.writeString(data.resolve("tasks/main.yaml"), "- a\n");
    Files.writeString(data.resolve("sub/tasks/main.yaml"), "- b\n");
    Cli cli = cli();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Cli.Result r = cli.run("find", "**/tasks/main.yaml");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.outLines()).contains("sub/tasks/main.yaml", "tasks/main.yaml");
  }

  @Test
  void diffShowsEveryKindOfChange() throws Exception {
    Path data = dir.resolve("d");
    Files.createDirectories(data.resolve("x"));
    Files.writeString(data.resolve("f"), "same-size-1\n");
    Files.writeString(data.resolve("becomesDir"), "file\n");
    Files.writeString(data.resolve("modeOnly"), "m\n");
    Files.createSymbolicLink(data.resolve("link"), Path.of("f"));
    FileTime t = Files.getLastModifiedTime(data.resolve("f"));
    Cli cli = cli();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Files.writeString(data.resolve("f"), "same-size-2\n");
    Files.setLastModifiedTime(data.resolve("f"), t);
    Files.delete(data.resolve("becomesDir"));
    Files.createDirectories(data.resolve("becomesDir"));
    Files.setPosixFilePermissions(data.resolve("modeOnly"), PosixFilePermissions.fromString("rwx------"));
    Files.delete(data.resolve("link"));
    Files.createSymbolicLink(data.resolve("link"), Path.of("modeOnly"));
    Files.createDirectories(data.resolve("x/new"));
    Files.writeString(data.resolve("x/new/n.txt"), "n\n");
    assertThat(cli.run("backup", data.toString(), "--force").exitCode()).isZero();
    Cli.Result snaps = cli.run("snapshots", "--json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(snaps.out());
    Cli.Result r = cli.run("diff", json.get(0).get("id").asText(), json.get(1).get("id").asText(), "--metadata");
    assertThat(r.exitCode()).as(r.err()).isZero();
    System.out.println(r.out() + r.err());
    assertThat(r.outLines()).contains("M    f", "T    becomesDir/", "U    modeOnly", "M    link", "+    x/new/",
        "+    x/new/n.txt");
  }

  @Test
  void statsAndLsAgree() throws Exception {
    Path data = dir.resolve("s");
    Files.createDirectories(data.resolve("a/b"));
    Files.writeString(data.resolve("a/b/c"), "12345");
    Files.writeString(data.resolve("a/d"), "123");
    Files.createLink(data.resolve("hard"), data.resolve("a/d"));
    Cli cli = cli();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Cli.Result ls = cli.run("ls", "latest");
    System.out.println(ls.out());
    Cli.Result st = cli.run("stats", "latest", "--json");
    System.out.println(st.out());
    Cli.Result raw = cli.run("stats", "--mode", "raw-data", "--json");
    System.out.println(raw.out());
    Cli.Result sub = cli.run("ls", "latest", "a/b");
    System.out.println(sub.out() + sub.err());
    assertThat(sub.outLines()).containsExactly("a/b/", "a/b/c");
    var st1 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(st.out());
    assertThat(st1.get("entries").asLong()).isEqualTo(ls.outLines().size());
    assertThat(st1.get("restore_bytes").asLong()).isEqualTo(11);
  }

  @Test
  void statsAfterRewriteAgreesWithLs() throws Exception {
    Path data = dir.resolve("rw");
    Files.createDirectories(data.resolve("a/b"));
    Files.writeString(data.resolve("a/b/c"), "12345");
    Files.writeString(data.resolve("a/secret"), "123");
    Files.writeString(data.resolve("top"), "1");
    Cli cli = cli();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Cli.Result rw = cli.run("rewrite", "--exclude", "secret", "--forget");
    assertThat(rw.exitCode()).as(rw.err()).isZero();
    Cli.Result ls = cli.run("ls", "latest");
    System.out.println(ls.out());
    var st = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("stats", "latest", "--json").out());
    assertThat(st.get("entries").asLong()).isEqualTo(ls.outLines().size());
    assertThat(st.get("restore_bytes").asLong()).isEqualTo(6);
    var snaps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("snapshots", "--json").out());
    assertThat(snaps.get(0).get("sources").get(0).get("entries").asLong()).isEqualTo(ls.outLines().size());
  }

  @Test
  void tagKeepsOneSnapshotAndAllTags() throws Exception {
    Path data = dir.resolve("t");
    Files.createDirectories(data);
    Files.writeString(data.resolve("f"), "1");
    Cli cli = cli();
    assertThat(cli.run("backup", data.toString(), "--tag", "a,b").exitCode()).isZero();
    Cli.Result t = cli.run("tag", "latest", "--add", "c", "--remove", "a");
    assertThat(t.exitCode()).as(t.err()).isZero();
    var snaps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("snapshots", "--json").out());
    assertThat(snaps.size()).isEqualTo(1);
    assertThat(snaps.get(0).get("tags").toString()).isEqualTo("[\"b\",\"c\"]");
    String id = snaps.get(0).get("id").asText();
    Cli.Result t2 = cli.run("tag", id.substring(0, 8), "latest", "--set", "x", "--add", "y");
    assertThat(t2.exitCode()).as(t2.err()).isZero();
    snaps = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.run("snapshots", "--json").out());
    assertThat(snaps.size()).isEqualTo(1);
    assertThat(snaps.get(0).get("tags").toString()).isEqualTo("[\"x\",\"y\"]");
    assertThat(cli.run("list", "snapshots").outLines()).hasSize(1);
  }

  @Test
  void dumpKeepsDirModesAndLongLinkTargets() throws Exception {
    Path data = dir.resolve("dm");
    Files.createDirectories(data.resolve("priv/empty"));
    Files.setPosixFilePermissions(data.resolve("priv"), PosixFilePermissions.fromString("rwx------"));
    String target = "x".repeat(150);
    Files.createSymbolicLink(data.resolve("priv/" + "n".repeat(120)), Path.of(target));
    Cli cli = cli();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Cli.Result r = cli.run("dump", "latest", "priv");
    assertThat(r.exitCode()).as(r.err()).isZero();
    java.util.List<String> names = new java.util.ArrayList<>();
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
        new java.io.ByteArrayInputStream(r.data()))) {
      for (org.apache.commons.compress.archivers.tar.TarArchiveEntry e; (e = in.getNextTarEntry()) != null; ) {
        names.add(e.getName() + " " + Integer.toOctalString(e.getMode()) + " " + e.getLinkName());
      }
    }
    System.out.println(names);
    assertThat(names).contains("priv/ 40700 ", "priv/empty/ 40755 ", "priv/" + "n".repeat(120) + " 120777 " + target);
  }
}
