package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlSyntaxCheckTest {
  @TempDir Path dir;

  private CheckOutcome check(String name, String yaml) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, yaml);
    return Checks.run(Checks.yamlParses(f), Clock.systemUTC());
  }

  @Test
  void wellFormedFilesPass() {
    Path good = TestResources.resource("ansible-good");
    CheckOutcome o = Checks.run(Checks.yamlParses(good.resolve("group_vars/all.yaml"),
        good.resolve("roles/common/tasks/main.yaml"), good.resolve("infra.yaml")), Clock.systemUTC());
    assertThat(o.passed()).as(o.message()).isTrue();
    assertThat(o.name()).startsWith("yaml:").contains("all.yaml");
  }

  @Test
  void multiDocumentFilePasses() throws IOException {
    assertThat(check("multi.yaml", "a: 1\n---\nb: [1, 2]\n---\n- x\n").passed()).isTrue();
  }

  @Test
  void badIndentationNamesFileAndLine() {
    Path broken = TestResources.resource("ansible-broken/roles/common/tasks/main.yaml");
    CheckOutcome o = Checks.run(Checks.yamlParses(broken), Clock.systemUTC());
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(broken.toString() + ": line 9, column 4:")
        .contains("expected <block end>").doesNotContain("'reader'");
  }

  @Test
  void errorInALaterDocumentIsFound() throws IOException {
    CheckOutcome o = check("later.yaml", "a: 1\n---\nb: [1, 2\nc: 3\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("later.yaml: line ");
  }

  @Test
  void duplicateKeyIsAnError() throws IOException {
    CheckOutcome o = check("group_vars/all.yaml", "mysql_port: 3306\ninflux_port: 8086\nmysql_port: 3307\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("all.yaml: line 3").contains("Duplicate field 'mysql_port'");
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    CheckOutcome o = Checks.run(Checks.yamlParses(missing), Clock.systemUTC());
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).isEqualTo(missing + ": file not found");
  }
}
