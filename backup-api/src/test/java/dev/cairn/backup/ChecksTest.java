package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {
  private static final Clock CLOCK = Clock.systemUTC();

  @Test
  void commandThatExitsZeroPasses() {
    CheckOutcome o = Checks.run(Checks.command(Duration.ofSeconds(30), "sh", "-c", "echo fine; exit 0"), CLOCK);
    assertThat(o.passed()).isTrue();
    assertThat(o.message()).isEmpty();
    assertThat(o.name()).isEqualTo("command:sh -c echo fine; exit 0");
  }

  @Test
  void failingCommandReportsExitCodeAndOutputTail() {
    String script = "for i in $(seq 1 50); do echo line$i; done; echo 'ERROR: bad thing' >&2; exit 3";
    CheckOutcome o = Checks.run(Checks.command(Duration.ofSeconds(30), "sh", "-c", script), CLOCK);
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("exited with 3").contains("ERROR: bad thing").contains("line50")
        .doesNotContain("line20\n");
    assertThat(o.onFailure()).isEqualTo(Check.OnFailure.ABORT);
  }

  @Test
  void commandOverItsTimeLimitIsKilled() {
    CheckOutcome o = Checks.run(
        Checks.command(Duration.ofMillis(300), "sh", "-c", "echo started; exec sleep 600"), CLOCK);
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("did not finish within PT0.3S").contains("killed").contains("started");
  }

  @Test
  void missingCommandSaysSo() {
    CheckOutcome o = Checks.run(Checks.command(Duration.ofSeconds(5), "cairn-no-such-command-xyz"), CLOCK);
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("could not start").contains("is it installed");
  }

  @Test
  void missingWorkingDirectoryIsNamedNotThePath(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    // 'directory: /etc/ansible' on a machine without it: the message blamed the PATH ("is it installed and
    // on the PATH?") for a command that is installed
    java.nio.file.Path missing = tmp.resolve("ansible");
    CheckOutcome o = Checks.run(Checks.command(missing, Duration.ofSeconds(5), "sh", "-c", "true"), CLOCK);
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("working directory " + missing + " does not exist").doesNotContain("PATH");
  }

  @Test
  void customChecksAndPolicies() {
    Check ok = Checks.of("disk has room", () -> true);
    Check bad = Checks.of("replica in sync", () -> {
      throw new IllegalStateException("replica lags 3600 s");
    }).onFailure(Check.OnFailure.MARK);
    List<CheckOutcome> outcomes = Checks.runAll(List.of(ok, bad), CLOCK);
    assertThat(outcomes).extracting(CheckOutcome::passed).containsExactly(true, false);
    assertThat(outcomes.get(1).message()).isEqualTo("replica lags 3600 s");
    assertThat(outcomes.get(1).onFailure()).isEqualTo(Check.OnFailure.MARK);
    assertThat(bad.name()).isEqualTo("replica in sync");
    // MARK failures let the backup go on
    Checks.requireNoAbort(outcomes);

    Check aborting = Checks.of("replica in sync", () -> {
      throw new IllegalStateException("replica lags 3600 s");
    });
    assertThatThrownBy(() -> Checks.requireNoAbort(Checks.runAll(List.of(ok, aborting), CLOCK)))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("replica in sync: replica lags 3600 s")
        .hasMessageContaining("no snapshot written");
  }

  @Test
  void sourceReachableCallsTheSourcesCheck() {
    Source unreachable = new Source() {
      @Override public String name() { return "mysql"; }
      @Override public String type() { return "mysql"; }
      @Override public void check() throws IOException {
        throw new SourceException("cannot connect to jdbc:mysql://db:3306/: connection refused");
      }
      @Override public void backup(SourceContext context) {}
    };
    CheckOutcome o = Checks.run(Checks.sourceReachable(unreachable), CLOCK);
    assertThat(o.name()).isEqualTo("reachable:mysql");
    assertThat(o.passed()).isFalse();
    assertThat(o.message()).contains("connection refused");
  }

  @Test
  void yamlCheckWithoutAParserNamesTheModuleToAdd() {
    assertThatThrownBy(() -> Checks.yamlParses(java.nio.file.Path.of("all.yaml")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.cairn:backup-plan");
  }
}
