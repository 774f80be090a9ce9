package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot with one source shows its paths without the source's name ('cairn ls'), and
 * 'restore --include' takes "paths as 'cairn ls' shows them". When a shown path starts with the
 * source's name (e.g. 'cairn backup /' makes a source named 'root', and /root/.ssh is shown as
 * 'root/.ssh'), the include must select that entry, not another one.
 */
class IncludeSourceNameClashTest {
  @TempDir Path dir;

  @Test
  void anIncludeAsLsShowsItRestoresThatEntry() throws Exception {
    Path data = dir.resolve("data");
    String sourceName = data.toString().replaceAll("^/+", ""); // what 'cairn backup DATA' names the source
    Files.createDirectories(data.resolve(sourceName));
    Files.writeString(data.resolve(sourceName).resolve("secret.txt"), "the nested one\n");
    Files.writeString(data.resolve("secret.txt"), "the top-level one\n");
    Cli cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
    assertThat(cli.run("init").exitCode()).isZero();
    Cli.Result backup = cli.run("backup", data.toString());
    assertThat(backup.exitCode()).as(backup.err()).isZero();

    String shown = sourceName + "/secret.txt";
    assertThat(cli.run("ls", "latest").outLines()).contains(shown);

    Path out = dir.resolve("out");
    Cli.Result r = cli.run("restore", "latest", "--target", out.toString(), "--include", shown);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve(shown)).as("the entry 'cairn ls' showed as " + shown).exists();
    assertThat(out.resolve("secret.txt")).as("an entry the include did not name").doesNotExist();
  }
}
