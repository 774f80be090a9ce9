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
  void tabIndentationNamesTheLineOfTheTab() throws IOException {
    // the scanner's errors were placed at the last token read before them: a tab on line 4 was reported
    // as "line 3, column 12", with Jackson's source excerpt flattened after it
    CheckOutcome o = check("roles/common/tasks/main.yaml", "- name: install nginx\n  apt:\n    name: nginx\n\tstate: present\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(dir.resolve("roles/common/tasks/main.yaml") + ": line 4, column 1: ")
        .contains("TAB").doesNotContain("^");
  }

  @Test
  void unclosedQuoteNamesWhereItEndsAndWhereItStarts() throws IOException {
    CheckOutcome o = check("all.yaml", "mysql_port: 3306\nmotd: \"welcome\ninflux_port: 8086\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(dir.resolve("all.yaml") + ": line 4, column 1: found unexpected end of stream")
        .contains("while scanning a quoted scalar at line 2, column 7").doesNotContain("^");
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
    assertThat(o.message()).contains("all.yaml: line 3").contains("duplicate key 'mysql_port', first at line 1, column 1");
  }

  @Test
  void aliasWithoutAnchorIsAnError() throws IOException {
    // Ansible (PyYAML) refuses the file: "found undefined alias"; the check passed it
    CheckOutcome o = check("group_vars/all.yaml", "defaults: &defaults {port: 3306}\nmysql: *defaults\ninflux: *defualts\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(dir.resolve("group_vars/all.yaml") + ": line 3, column 9: ")
        .contains("*defualts");
  }

  @Test
  void anchorsDoNotReachIntoTheNextDocument() throws IOException {
    CheckOutcome o = check("multi.yaml", "a: &x [1]\nb: *x\n---\nc: *x\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("multi.yaml: line 4, column 4: ").contains("*x");
  }

  @Test
  void anchorDefinedTwiceIsAnError() throws IOException {
    // PyYAML: "found duplicate anchor; first occurrence ... second occurrence"
    CheckOutcome o = check("all.yaml", "a: &x 1\nb: &x 2\nc: *x\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(dir.resolve("all.yaml") + ": line 2, column 4: ").contains("&x")
        .contains("line 1, column 4");
  }

  @Test
  void anchorsAliasesAndMergeKeysThatAnsibleReadsPass() throws IOException {
    CheckOutcome o = check("all.yaml", "base: &base {port: 3306, host: db}\nprimary:\n  <<: *base\n  host: db1\n"
        + "hosts: &hosts [a, b]\nall: *hosts\n&k key: 1\nself: &r [*r]\n---\nbase: &base 1\n");
    assertThat(o.passed()).as(o.message()).isTrue();
  }

  @Test
  void vaultEncryptedFilePasses() throws IOException {
    CheckOutcome o = check("group_vars/all/vault.yaml", "$ANSIBLE_VAULT;1.1;AES256\n"
        + "62313365396662343061393464336163383764373764613633653634306231386433626436623361\n"
        + "6134333665353966363534333632666535333761666131620a663537646436643839616531643561\n");
    assertThat(o.passed()).as(o.message()).isTrue();
  }

  @Test
  void largeFilePasses() throws IOException {
    // a 2 MB file encrypted with ansible-vault is 4 MB of hex: SnakeYAML's default limit of 3 MiB code points
    // per document failed the check ("The incoming YAML document exceeds the limit") and aborted the backup
    StringBuilder vault = new StringBuilder("$ANSIBLE_VAULT;1.1;AES256\n");
    String line = "6134333665353966363534333632666535333761666131620a663537646436643839616531643561\n";
    while (vault.length() < 4_500_000) {
      vault.append(line);
    }
    StringBuilder vars = new StringBuilder();
    for (int i = 0; vars.length() < 4_500_000; i++) {
      vars.append("host_").append(i).append(": {address: 10.0.").append(i % 250).append(".1, port: 22}\n");
    }
    CheckOutcome v = check("files/ca-bundle.yaml", vault.toString());
    assertThat(v.passed()).as(v.message()).isTrue();
    CheckOutcome o = check("group_vars/all.yaml", vars.toString());
    assertThat(o.passed()).as(o.message()).isTrue();
  }

  @Test
  void keysThatAnsibleReadsAsDifferentAreNoDuplicates() throws IOException {
    // PyYAML (and Ansible) read 1 and "1" as two keys (an int and a string), and merge every << key
    CheckOutcome o = check("group_vars/all.yaml", "ports:\n  80: http\n  \"80\": legacy\n"
        + "base: &base {user: deploy}\nlog: &log {level: info}\nweb:\n  <<: *base\n  <<: *log\n  port: 80\n");
    assertThat(o.passed()).as(o.message()).isTrue();
  }

  @Test
  void aQuotedAndAPlainKeyOfTheSameStringAreDuplicates() throws IOException {
    CheckOutcome o = check("all.yaml", "mysql_port: 3306\n'mysql_port': 3307\nnested:\n  a: 1\n  \"a\": 2\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(dir.resolve("all.yaml") + ": line 2, column 1: ").contains("mysql_port");
  }

  @Test
  void unquotedJinjaExpressionSaysToQuoteIt() throws IOException {
    CheckOutcome o = check("roles/common/tasks/main.yaml", "- name: greet\n  debug:\n    msg: {{ greeting }}\n");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).startsWith(dir.resolve("roles/common/tasks/main.yaml") + ": line 3, column 11: ")
        .contains("must be quoted");
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    CheckOutcome o = Checks.run(Checks.yamlParses(missing), Clock.systemUTC());
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).isEqualTo(missing + ": file not found");
  }
}
