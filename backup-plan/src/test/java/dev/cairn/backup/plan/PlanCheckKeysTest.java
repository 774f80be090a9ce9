package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.Checks;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan file keys that are accepted but have no effect. */
class PlanCheckKeysTest {
  @TempDir Path dir;

  private PlanFile read(String checks) {
    return PlanFile.read(dir.resolve("plan.yaml"), new StringReader("""
        name: infra
        sources:
          - name: etc
            type: files
            root: .
        encryption:
          passphrase: {env: CAIRN_PASSWORD}
        targets:
          - name: local
            storage: repo
        """ + checks));
  }

  /**
   * 'directory' and 'timeout' are documented for command checks; on a yaml check they are accepted
   * without a word and ignored: the file below is looked up next to the plan file, not in
   * 'directory', so the check fails (or, worse, checks another file of the same name).
   */
  @Test
  void directoryOnAYamlCheckIsEitherUsedOrRefused() throws Exception {
    Path ansible = Files.createDirectories(dir.resolve("ansible/group_vars"));
    Files.writeString(ansible.resolve("all.yaml"), "ntp: a\n");
    String yaml = """
        checks:
          - yaml: [group_vars/all.yaml]
            directory: ansible
        """;
    PlanFile file;
    try {
      file = read(yaml);
    } catch (dev.cairn.backup.ConfigurationException refused) {
      return; // refusing the key names it: fine
    }
    List<CheckOutcome> outcomes = Checks.runAll(file.checks(), Clock.systemUTC());
    assertThat(outcomes).allSatisfy(o -> assertThat(o.passed()).as(o.message()).isTrue());
  }
}
