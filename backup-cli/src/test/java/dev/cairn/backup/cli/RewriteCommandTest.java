package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Error messages of rewrite and backup name what the user typed. */
class RewriteCommandTest {
  @TempDir Path dir;
  private Cli cli;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/a.txt"), "a\n");
    cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "correct horse");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", dir.resolve("data").toString()).exitCode()).isZero();
  }

  @Test
  void aBadSizeIsExplainedWithoutJavaTypeNames() {
    Cli.Result bad = cli.run("backup", dir.resolve("data").toString(), "--exclude-larger-than", "huge");
    assertThat(bad.err()).contains("'huge' is not a size").doesNotContain("java.lang", "to Long");
  }

  @Test
  void aBadGlobIsQuotedAsTyped() {
    Cli.Result bad = cli.run("rewrite", "--exclude", "[oops");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(bad.err()).contains("'[oops'").doesNotContain("**/[oops");
  }
}
