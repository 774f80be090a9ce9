package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Check;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.Checks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real {@code ansible-playbook --syntax-check} (the distribution's {@code ansible} package,
 * installed by {@code scripts/ensure-packages.sh} if missing) as a usability check.
 */
class AnsibleSyntaxCheckIT {

  @BeforeAll
  static void ensureAnsible() throws Exception {
    Path script = TestResources.projectRoot().resolve("scripts/ensure-packages.sh");
    Process p = new ProcessBuilder(script.toString(), "ansible-playbook").inheritIO().start();
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(script + " ansible-playbook failed: ansible is needed for this test"
          + " (apt-get install -y ansible)");
    }
  }

  private static Check syntaxCheck(String tree) {
    return Checks.command(TestResources.resource(tree), Duration.ofMinutes(2),
        "ansible-playbook", "-i", "localhost,", "--syntax-check", "infra.yaml");
  }

  @Test
  void goodPlaybookPasses() {
    CheckOutcome o = Checks.run(syntaxCheck("ansible-good"), Clock.systemUTC());
    assertThat(o.passed()).as(o.message()).isTrue();
    assertThat(o.name()).isEqualTo("command:ansible-playbook -i localhost, --syntax-check infra.yaml");
  }

  @Test
  void brokenPlaybookFailsWithAnsiblesMessage() {
    CheckOutcome o = Checks.run(syntaxCheck("ansible-broken").onFailure(Check.OnFailure.MARK), Clock.systemUTC());
    assertThat(o.passed()).isFalse();
    assertThat(o.onFailure()).isEqualTo(Check.OnFailure.MARK);
    assertThat(o.message())
        .contains("exited with 4")
        .contains("roles/common/tasks/main.yaml': line 9, column 4")
        .contains("when: backup_drives is defined");
  }
}
