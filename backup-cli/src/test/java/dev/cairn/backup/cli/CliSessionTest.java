package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code cairn} commands in-process against local repositories, as a user would: a
 * full session, and the documented exit codes for the failures a script must tell apart.
 */
class CliSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path repo;
  private Path data;
  private Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    repo = dir.resolve("repo");
    data = dir.resolve("data");
    Files.createDirectories(data.resolve("sub/deeper"));
    Files.createDirectories(data.resolve("empty"));
    Files.writeString(data.resolve("a.txt"), "alpha\n");
    Files.writeString(data.resolve("sub/b.txt"), "bravo ".repeat(10_000));
    Files.write(data.resolve("sub/deeper/c.bin"), new java.util.Random(3).ints(200_000).mapToObj(Integer::toString)
        .reduce(new StringBuilder(), StringBuilder::append, StringBuilder::append).toString().getBytes(StandardCharsets.UTF_8));
    Files.writeString(data.resolve("with space ü.txt"), "unicode\n");
    Files.createSymbolicLink(data.resolve("link"), Path.of("a.txt"));
    cli = new Cli().env("CAIRN_REPOSITORY", repo.toString()).env("CAIRN_PASSWORD", "correct horse");
  }

  @Test
  void fullSessionInitBackupSnapshotsLsRestoreVerifyKeysStats() throws Exception {
    Cli.Result init = cli.run("init");
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.out()).contains("created repository");
    assertThat(cli.run("init").err()).contains("already exists");

    Cli.Result first = cli.run("backup", data.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).containsPattern("snapshot [0-9a-f]{8} saved");

    Files.writeString(data.resolve("a.txt"), "alpha, changed\n");
    Cli.Result second = cli.run("backup", "--json", "--tag", "daily,test", data.toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode summary = lastJson(second.out());
    assertThat(summary.get("message_type").asText()).isEqualTo("summary");
    assertThat(summary.get("complete").asBoolean()).isTrue();
    assertThat(summary.get("files").asLong()).isEqualTo(4);
    String secondId = summary.get("snapshot_id").asText();

    Cli.Result listText = cli.run("snapshots");
    assertThat(listText.exitCode()).isZero();
    assertThat(listText.out()).contains(secondId.substring(0, 8), "daily,test", "2 snapshots");

    Cli.Result listJson = cli.run("snapshots", "--json");
    JsonNode snapshots = JSON.readTree(listJson.out());
    assertThat(snapshots.isArray()).isTrue();
    assertThat(snapshots).hasSize(2);
    JsonNode latest = snapshots.get(1);
    assertThat(latest.get("id").asText()).isEqualTo(secondId);
    assertThat(latest.get("tags")).extracting(JsonNode::asText).containsExactly("daily", "test");
    assertThat(latest.get("parent").asText()).isEqualTo(snapshots.get(0).get("id").asText());
    assertThat(latest.get("sources").get(0).get("name").asText())
        .isEqualTo(data.toAbsolutePath().toString().substring(1));

    Cli.Result ls = cli.run("ls", "latest");
    assertThat(ls.outLines()).contains("a.txt", "sub/", "sub/b.txt", "sub/deeper/c.bin", "link", "empty/",
        "with space ü.txt");
    assertThat(cli.run("ls", secondId.substring(0, 8), "sub").outLines())
        .containsExactlyInAnyOrder("sub/", "sub/b.txt", "sub/deeper/", "sub/deeper/c.bin");

    Path target = dir.resolve("restored");
    Cli.Result restore = cli.run("restore", "latest", "--target", target.toString());
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertSameTree(data, target);
    assertThat(Files.readSymbolicLink(target.resolve("link"))).isEqualTo(Path.of("a.txt"));

    Cli.Result again = cli.run("restore", "latest", "--target", target.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("not empty", "--overwrite");
    // run again over a complete restore with one file changed: that one is written, the rest kept
    Files.writeString(target.resolve("a.txt"), "alpha, damaged\n");
    Cli.Result overwrite = cli.run("restore", "latest", "--target", target.toString(), "--overwrite", "--json");
    assertThat(overwrite.exitCode()).as(overwrite.err()).isZero();
    JsonNode overwritten = lastJson(overwrite.out());
    assertThat(overwritten.get("bytes").asLong()).isEqualTo(Files.size(data.resolve("a.txt")));
    assertThat(overwritten.get("unchanged_files").asLong()).isEqualTo(3); // sub/b.txt, sub/deeper/c.bin, with space ü.txt
    assertSameTree(data, target);
    assertThat(cli.run("restore", "latest", "--target", target.toString(), "--overwrite").out())
        .contains("4 files", "were already there with the snapshot's content and were kept");

    Path partial = dir.resolve("partial");
    assertThat(cli.run("restore", "latest", "--target", partial.toString(), "--include", "sub/deeper").exitCode()).isZero();
    assertThat(files(partial)).containsExactly("sub/deeper/c.bin");

    Cli.Result verify = cli.run("verify");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.out()).contains("no problems found");
    Cli.Result readData = cli.run("verify", "--read-data", "--json");
    assertThat(readData.exitCode()).isZero();
    JsonNode verified = lastJson(readData.out());
    assertThat(verified.get("ok").asBoolean()).isTrue();
    assertThat(verified.get("read_data").asBoolean()).isTrue();
    assertThat(verified.get("bytes_read").asLong()).isPositive();

    Path newPass = Files.writeString(dir.resolve("new-pass"), "battery staple\n");
    Cli.Result add = cli.run("key", "add", "--new-password-file", newPass.toString());
    assertThat(add.exitCode()).as(add.err()).isZero();
    JsonNode keys = JSON.readTree(cli.run("key", "list", "--json").out());
    assertThat(keys).hasSize(2);
    String oldKey = keys.findParents("current").stream().filter(k -> k.get("current").asBoolean())
        .findFirst().orElseThrow().get("id").asText();
    assertThat(cli.run("key", "list").outLines()).anyMatch(l -> l.startsWith("*  " + oldKey.substring(0, 8)));

    Cli.Result refused = cli.run("key", "remove", oldKey.substring(0, 8));
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("is the one this passphrase opened");

    Cli withNew = new Cli().env("CAIRN_REPOSITORY", repo.toString()).env("CAIRN_PASSWORD", "battery staple");
    assertThat(withNew.run("key", "remove", oldKey.substring(0, 8)).exitCode()).isZero();
    assertThat(cli.run("snapshots").exitCode()).isEqualTo(ExitCodes.WRONG_PASSPHRASE);

    Path newest = Files.writeString(dir.resolve("newest-pass"), "tr0ub4dor\n");
    assertThat(withNew.run("key", "passwd", "--new-password-file", newest.toString()).exitCode()).isZero();
    assertThat(withNew.run("snapshots").exitCode()).isEqualTo(ExitCodes.WRONG_PASSPHRASE);
    Cli.Result stats = new Cli().env("CAIRN_REPOSITORY", repo.toString()).run("stats", "--password-file", newest.toString());
    assertThat(stats.exitCode()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("snapshots:            2");
  }

  @Test
  void wrongPassphraseExitsTwelveWithAClearMessage() {
    assertThat(cli.run("init").exitCode()).isZero();
    Cli.Result r = new Cli().env("CAIRN_REPOSITORY", repo.toString()).env("CAIRN_PASSWORD", "wrong")
        .run("backup", data.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.WRONG_PASSPHRASE);
    assertThat(r.err()).startsWith("cairn: ").containsIgnoringCase("passphrase").doesNotContain("\tat ");
    assertThat(cli.run("snapshots", "--json").out().trim()).isEqualTo("[]");
  }

  @Test
  void missingRepositoryExitsTen() {
    Cli.Result r = cli.run("snapshots");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.NO_REPOSITORY);
    assertThat(r.err()).contains(repo.toString(), "cairn init");
  }

  @Test
  void lockedRepositoryExitsEleven() {
    assertThat(cli.run("init").exitCode()).isZero();
    try (EncryptedRepository held = EncryptedRepository.open(Storages.local(repo), Secret.of("correct horse"),
            RepositoryOptions.defaults());
        Lock exclusive = held.lock(true)) {
      Cli.Result r = cli.run("backup", data.toString());
      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.LOCKED);
      assertThat(r.err()).startsWith("cairn: ").containsIgnoringCase("lock");
    }
  }

  @Test
  void unreadableInputGivesExitThreeAndAnIncompleteSnapshot() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    Path unreadable = data.resolve("secret.txt");
    Files.writeString(unreadable, "no access");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      // root reads any file: a FIFO is an input the backup must report and skip instead
      Files.delete(unreadable);
      Process mkfifo = new ProcessBuilder("mkfifo", unreadable.toString()).start();
      assertThat(mkfifo.waitFor()).isZero();
    } else {
      Files.setPosixFilePermissions(unreadable, java.util.Set.of());
    }
    Cli.Result r = cli.run("backup", data.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(r.err()).contains("secret.txt");
    JsonNode snapshots = JSON.readTree(cli.run("snapshots", "--json").out());
    assertThat(snapshots).hasSize(1);
    assertThat(snapshots.get(0).get("complete").asBoolean()).isFalse();
  }

  @Test
  void commandOutputIsBackedUpAndAFailingCommandWritesNoSnapshot() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    Cli.Result failing = cli.run("backup", "--stdin-from-command", "echo partial; echo oops >&2; exit 3",
        "--stdin-filename", "dump.sql");
    assertThat(failing.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(failing.err()).startsWith("cairn: ").contains("echo partial; echo oops >&2; exit 3", "oops");
    assertThat(cli.run("snapshots", "--json").out().trim()).isEqualTo("[]");

    Cli.Result ok = cli.run("backup", "--stdin-from-command", "printf 'CREATE TABLE t (id int);\\n'",
        "--stdin-filename", "dump.sql");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    Path target = dir.resolve("dump");
    assertThat(cli.run("restore", "latest", "--target", target.toString()).exitCode()).isZero();
    assertThat(Files.readString(target.resolve("dump.sql"))).isEqualTo("CREATE TABLE t (id int);\n");
  }

  @Test
  void whatIsPipedInIsBackedUpWithStdin() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    byte[] dump = "INSERT INTO t VALUES (1);\n".repeat(10_000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Cli.Result ok = cli.stdin(dump).run("backup", "--stdin", "--stdin-filename", "db.sql", "--json");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(cli.run("dump", "latest", "db.sql").data()).isEqualTo(dump);

    Cli.Result interactive = cli.stdinTerminal(true).run("backup", "--stdin");
    assertThat(interactive.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(interactive.err()).contains("standard input is a terminal", "pipe the data in");
    Cli.Result both = cli.stdinTerminal(false).run("backup", "--stdin", "--stdin-from-command", "true");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(both.err()).contains("not both");
    Cli.Result closed = cli.stdinClosed(true).run("backup", "--stdin");
    assertThat(closed.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(closed.err()).contains("standard input is closed");
    Cli.Result empty = cli.stdinClosed(false).stdin(new byte[0]).run("backup", "--stdin");
    assertThat(empty.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(empty.err()).contains("read nothing", "no snapshot was written");
    assertThat(JSON.readTree(cli.run("snapshots", "--json").out())).hasSize(1);
  }

  @Test
  void damagedPackIsNamedByVerifyWithExitCodeOne() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Path pack;
    try (Stream<Path> walk = Files.walk(repo.resolve("data"))) {
      pack = walk.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(pack);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(pack, bytes);

    Cli.Result r = cli.run("verify", "--read-data");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("damaged pack", pack.getFileName().toString().substring(0, 8), "damaged snapshot");
    JsonNode json = lastJson(cli.run("verify", "--read-data", "--json").out());
    assertThat(json.get("ok").asBoolean()).isFalse();
    assertThat(json.get("damaged_packs").toString()).contains(pack.getFileName().toString().substring(0, 8));

    // subsets: the group holding the damaged pack finds it, the other does not, and both say what they read
    String name = pack.getFileName().toString();
    int group = (int) (Long.parseLong(name.substring(0, 8), 16) % 2) + 1;
    Cli.Result hit = cli.run("verify", "--read-data-subset=" + group + "/2");
    assertThat(hit.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(hit.err()).contains("damaged pack: " + name);
    assertThat(hit.out()).contains("(subset " + group + "/2");
    JsonNode other = lastJson(cli.run("verify", "--read-data-subset", (3 - group) + "/2", "--json").out());
    assertThat(other.get("ok").asBoolean()).isTrue();
    assertThat(other.get("data_subset").asText()).isEqualTo((3 - group) + "/2");
    assertThat(other.get("read_data").asBoolean()).as("a subset is not the full read").isFalse();
    JsonNode all = lastJson(cli.run("verify", "--read-data-subset=100%", "--json").out());
    assertThat(all.get("ok").asBoolean()).isFalse();
    assertThat(all.get("data_subset").asText()).isEqualTo("all");
    assertThat(all.get("read_data").asBoolean()).isTrue();
    assertThat(all.get("packs_read").asLong()).isEqualTo(all.get("packs").asLong())
        .isGreaterThan(other.get("packs_read").asLong());

    // restic's name for it works too
    Cli.Result check = cli.run("check", "--read-data-subset", (3 - group) + "/2");
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains("no problems found");
    Cli.Result both = cli.run("verify", "--read-data", "--read-data-subset=1/2");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(both.err()).contains("not both").contains("cairn verify --help");
    Cli.Result bad = cli.run("verify", "--read-data-subset=half");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("'half'", "n/t", "10%", "500M");
  }

  @Test
  void backupLeavesOutLargeFilesAndForceReadsEverythingAgain() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    Cli.Result small = cli.run("backup", data.toString(), "--exclude-larger-than", "100K", "--json");
    assertThat(small.exitCode()).as(small.err()).isZero();
    assertThat(cli.run("ls", "latest").out()).contains("sub/b.txt").doesNotContain("c.bin");
    Cli.Result bad = cli.run("backup", data.toString(), "--exclude-larger-than", "lots");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("'lots' is not a size");

    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    JsonNode again = lastJson(cli.run("backup", data.toString(), "--json").out());
    JsonNode forced = lastJson(cli.run("backup", data.toString(), "--force", "--json").out());
    assertThat(again.get("bytes_read").asLong()).isZero();
    assertThat(forced.get("bytes_read").asLong()).isEqualTo(forced.get("bytes_total").asLong()).isPositive();
    Cli.Result both = cli.run("backup", data.toString(), "--force", "--parent", "latest");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(both.err()).contains("not both");
  }

  @Test
  void rewriteTakesAFileOutOfEverySnapshot() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Files.writeString(data.resolve("a.txt"), "alpha 2\n");
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();

    Cli.Result none = cli.run("rewrite");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(none.err()).contains("--exclude");
    Cli.Result dry = cli.run("rewrite", "--exclude", "sub/deeper", "-n");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would rewrite", "sub/deeper: excluded");
    assertThat(lastJson(cli.run("snapshots", "--json").out())).hasSize(2);

    Path patterns = Files.writeString(dir.resolve("leave-out"), "# big ones\nsub/deeper/*.bin\n");
    Cli.Result done = cli.run("rewrite", "--exclude-file", patterns.toString(), "--forget", "--json");
    assertThat(done.exitCode()).as(done.err()).isZero();
    JsonNode summary = lastJson(done.out());
    assertThat(summary.get("snapshots")).hasSize(2);
    assertThat(summary.get("snapshots").get(0).get("removed").has("sub/deeper/c.bin")).isTrue();
    JsonNode snapshots = lastJson(cli.run("snapshots", "--json").out());
    assertThat(snapshots).hasSize(2);
    assertThat(snapshots.get(1).get("tags").toString()).contains("rewrite");
    Cli.Result ls = cli.run("ls", "latest");
    assertThat(ls.out()).contains("sub/b.txt").doesNotContain("c.bin");
    assertThat(cli.run("repair", "snapshots").out()).contains("nothing changed");

    Cli.Result size = cli.run("stats", "latest");
    assertThat(size.exitCode()).as(size.err()).isZero();
    assertThat(size.out()).contains("restore size:").doesNotContain("unique data");
    JsonNode raw = lastJson(cli.run("stats", "--mode", "raw-data", "--json").out());
    assertThat(raw.get("snapshots").asInt()).isEqualTo(2);
    assertThat(raw.get("chunks").asLong()).isPositive();
    assertThat(raw.get("stored_bytes").asLong()).isPositive();
    Cli.Result bad = cli.run("stats", "--mode", "blobs-per-file");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("restore-size or raw-data");
  }

  @Test
  void aDamagedIndexFileIsNamedByVerifyRefusedByPruneAndRepaired() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Path index;
    try (Stream<Path> s = Files.list(repo.resolve("index"))) {
      index = s.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(index, bytes);

    assertThat(cli.run("snapshots").exitCode()).isZero();
    Cli.Result verify = cli.run("verify");
    assertThat(verify.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(verify.err()).contains("index/" + index.getFileName(), "cairn repair index");
    Cli.Result prune = cli.run("prune");
    assertThat(prune.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(prune.err()).contains("cairn repair index");
    assertThat(index).exists();

    Cli.Result repair = cli.run("repair", "index");
    assertThat(repair.exitCode()).as(repair.err()).isZero();
    assertThat(repair.out()).contains("replacing 1 index files (1 damaged)");
    assertThat(index).doesNotExist();
    assertThat(cli.run("verify", "--read-data").exitCode()).isZero();
    JsonNode json = lastJson(cli.run("repair", "index", "--read-all-packs", "--json").out());
    assertThat(json.get("damaged_index_files")).isEmpty();
    assertThat(json.get("headers_read").asLong()).isEqualTo(json.get("packs_indexed").asLong()).isPositive();
    Path restored = dir.resolve("after-repair");
    assertThat(cli.run("restore", "latest", "--target", restored.toString()).exitCode()).isZero();
    assertThat(Files.readString(restored.resolve("sub/b.txt"))).isEqualTo(Files.readString(data.resolve("sub/b.txt")));
  }

  @Test
  void pathsAndExcludesCanComeFromFilesAndCachesAreLeftOut() throws Exception {
    assertThat(cli.run("init").exitCode()).isZero();
    Path other = dir.resolve("other");
    Files.createDirectories(other.resolve("cache"));
    Files.writeString(other.resolve("keep.txt"), "keep");
    Files.writeString(other.resolve("scratch.tmp"), "tmp");
    Files.writeString(other.resolve("cache/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55");
    Files.writeString(other.resolve("cache/blob"), "cached");
    Path list = Files.writeString(dir.resolve("paths.txt"), "# what to back up\n" + data + "\n\n  " + other + "  \n");
    Path excludes = Files.writeString(dir.resolve("excludes.txt"), "# junk\n*.tmp\nsub/deeper/**\n");
    Cli.Result r = cli.run("backup", "--files-from", list.toString(), "--exclude-file", excludes.toString(),
        "--exclude-caches", "--one-file-system");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode snap = JSON.readTree(cli.run("snapshots", "--json").out()).get(0);
    assertThat(snap.get("sources")).hasSize(2);
    String ls = cli.run("ls", "latest").out();
    assertThat(ls).contains("keep.txt", "cache/CACHEDIR.TAG", "a.txt").doesNotContain("scratch.tmp")
        .doesNotContain("cache/blob").doesNotContain("c.bin");
    Path restored = dir.resolve("restored-excluding");
    Path restoreExcludes = Files.writeString(dir.resolve("restore-excludes.txt"), "# not needed\nsub\n");
    Cli.Result restore = cli.run("restore", "latest", "--target", restored.toString(), "--exclude", "keep.txt",
        "--exclude-file", restoreExcludes.toString());
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    try (Stream<Path> walk = Files.walk(restored)) {
      List<String> names = walk.map(p -> p.getFileName().toString()).toList();
      assertThat(names).contains("a.txt", "CACHEDIR.TAG").doesNotContain("keep.txt", "sub", "b.txt");
    }
    // restic's --include-file: the paths as 'cairn ls' shows them
    Path onlyA = dir.resolve("restored-a");
    String aPath = ls.lines().filter(l -> l.endsWith("a.txt")).findFirst().orElseThrow().trim();
    aPath = aPath.substring(aPath.lastIndexOf(' ') + 1);
    Path includes = Files.writeString(dir.resolve("restore-includes.txt"), "# just this\n" + aPath + "\n");
    Cli.Result some = cli.run("restore", "latest", "--target", onlyA.toString(), "--include-file", includes.toString());
    assertThat(some.exitCode()).as(some.err()).isZero();
    try (Stream<Path> walk = Files.walk(onlyA)) {
      assertThat(walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList())
          .containsExactly("a.txt");
    }
    Cli.Result dry = cli.run("backup", "--dry-run", data.toString(), "--json");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(lastJson(dry.out()).get("dry_run").asBoolean()).isTrue();
    assertThat(JSON.readTree(cli.run("snapshots", "--json").out())).hasSize(1);
    Cli.Result missing = cli.run("backup", "--files-from", dir.resolve("nope.txt").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(missing.err()).contains("cannot read --files-from", "nope.txt");
  }

  @Test
  void passphraseIsAskedTwiceOnTheTerminalForInit() {
    Cli typing = new Cli().env("CAIRN_REPOSITORY", repo.toString()).typing("typed pass", "typed pass");
    Cli.Result init = typing.run("init");
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.err()).contains("enter passphrase for new repository", "enter the same passphrase again");
    Cli.Result open = new Cli().env("CAIRN_REPOSITORY", repo.toString()).typing("typed pass").run("snapshots");
    assertThat(open.exitCode()).as(open.err()).isZero();
  }

  private static JsonNode lastJson(String out) throws IOException {
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static void assertSameTree(Path expected, Path actual) throws IOException {
    assertThat(files(actual)).isEqualTo(files(expected));
    for (String f : files(expected)) {
      assertThat(Files.readAllBytes(actual.resolve(f))).as(f).isEqualTo(Files.readAllBytes(expected.resolve(f)));
      assertThat(Files.getLastModifiedTime(actual.resolve(f))).as(f).isEqualTo(Files.getLastModifiedTime(expected.resolve(f)));
    }
    assertThat(Files.isDirectory(actual.resolve("empty"))).isTrue();
  }
}
