package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Check;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan files that are read wrongly or accepted silently. Each test failed before its fix. */
class PlanFileReadingTest {
  @TempDir Path dir;

  private static String plan(String rest) {
    return "name: p\nsources:\n  - {name: a, type: files, root: x}\nencryption:\n  passphrase: {env: NOPE}\n" + rest;
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("plan.yaml"), yaml);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejects(String yaml) throws IOException {
    Path f = write(yaml);
    return assertThatThrownBy(() -> PlanFile.read(f)).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(f + ": line ");
  }

  /** A YAML alias (*s) was read as the text "s": the copy went to ./s next to the plan file. */
  @Test
  void anAliasIsNotReadAsTheAnchorsName() throws IOException {
    assertRejects(plan("targets:\n  - name: a\n    storage: &s /srv/a\n  - name: b\n    storage: *s\n"))
        .hasMessageContaining("targets[1].storage").hasMessageContaining("alias");
  }

  /** 'primary: false' on the first target, no other primary: the first target became primary anyway. */
  @Test
  void primaryFalseIsNotMadePrimary() throws IOException {
    assertRejects(plan("targets:\n  - {name: a, storage: /srv/a, primary: false}\n  - {name: b, storage: /srv/b}\n"))
        .hasMessageContaining("primary");
  }

  /** Two targets (or two drives of a rotation) at one location: copies into the primary's own repository. */
  @Test
  void twoTargetsAtOneLocationAreRefused() throws IOException {
    assertRejects(plan("targets:\n  - {name: a, storage: /srv/a}\n  - {name: b, storage: /srv/a/}\n"))
        .hasMessageContaining("targets[1]").hasMessageContaining("/srv/a");
    assertRejects(plan("targets:\n  - {name: a, storage: /srv/a}\n  - {name: b, rotate: [/srv/b, ./../../srv/b]}\n"))
        .hasMessageContaining("targets[1]");
    assertRejects(plan("targets:\n  - {name: a, storage: local}\n  - {name: b, rotate: [/srv/b, ./local]}\n"))
        .hasMessageContaining("targets[1]");
  }

  /** 'storage: ""' was resolved to the plan file's own directory, which then became the repository. */
  @Test
  void anEmptyStorageIsRefused() throws IOException {
    assertRejects(plan("targets:\n  - {name: a, storage: ''}\n")).hasMessageContaining("targets[0].storage");
  }

  /** An out-of-range duration threw a bare ArithmeticException naming no file, line or key. */
  @Test
  void aHugeDurationNamesItsLine() throws IOException {
    assertRejects(plan("targets:\n  - {name: a, storage: /srv/a}\nobjectives: {rpo: 9999999999999999d}\n"))
        .hasMessageContaining("objectives.rpo");
    assertRejects(plan("targets:\n  - {name: a, storage: /srv/a, object-lock: 99999999999999999w}\n"))
        .hasMessageContaining("object-lock");
  }

  /** A documented file: URI (file:/srv/a, as File.toURI() writes it) was read as a relative directory "file:". */
  @Test
  void aFileUriIsTheDirectoryItNames() throws IOException {
    Path repo = dir.resolve("repo");
    PlanFile pf = PlanFile.read(write(plan("targets:\n  - {name: a, storage: '" + repo.toFile().toURI() + "'}\n")));
    LocalStorage storage = (LocalStorage) pf.toPlan().target().storage();
    assertThat(storage.root()).isEqualTo(repo);
  }

  /** A check's command written as one string was one argv word: 'echo ok' could never start. Hooks run a string with sh -c. */
  @Test
  void aCheckCommandWrittenAsAStringRuns() throws IOException {
    PlanFile pf = PlanFile.read(write(plan("targets:\n  - {name: a, storage: /srv/a}\nchecks:\n  - command: echo ok\n")));
    List<CheckOutcome> outcomes = dev.cairn.backup.Checks.runAll(pf.checks(), Clock.systemUTC());
    assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.passed()).as(o.message()).isTrue());
  }
}
