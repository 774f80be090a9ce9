package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Check;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.plan.FakeDatabaseSourceFactory.FakeDatabaseSource;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFileTest {
  @TempDir Path dir;

  private static final String GOOD = """
      version: 1
      name: infra
      timezone: Europe/Berlin
      tags: [nightly]
      sources:
        - name: ansible
          type: files
          root: ansible
          include: [group_vars/all.yaml, "roles/*/tasks/main.yaml"]
        - name: inventory
          type: stream
          command: [ansible-inventory, --list]
          path: inventory.json
        - name: db
          type: fakedb
          url: fakedb://127.0.0.1:3306
          databases: [app, billing]
          password: {file: db.pass}
      encryption:
        passphrase: {env: CAIRN_TEST_UNSET_VARIABLE}
      compression: {level: 6}
      targets:
        - name: local
          storage: /srv/backup/cairn
          schedule: "0 2 * * *"
          retention: {keep-daily: 7, keep-weekly: 4}
        - name: drives
          rotate: [/mnt/backup-a/cairn, /mnt/backup-b/cairn]
          schedule: weekly
          retention: {keep-weekly: 8}
        - name: offsite
          storage: s3://cairn-offsite/infra?region=eu-central-1
          schedule: monthly
          retention: {keep-monthly: 12}
      checks:
        - yaml: [ansible/group_vars/all.yaml]
          on-failure: mark
        - command: [ansible-playbook, --syntax-check, infra.yaml]
          directory: ansible
          timeout: 2m
        - reachable: db
      hooks:
        before: echo starting
        on-failure: [logger, -t, cairn, backup failed]
        timeout: 30s
      objectives: {rpo: 24h, rto: 12h}
      drill: {scratch: /var/tmp/cairn-drill, reports: drills}
      """;

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertRejects(String yaml) throws IOException {
    Files.writeString(dir.resolve("db.pass"), "s3cret\n");
    Path f = write("plan.yaml", yaml);
    return assertThatThrownBy(() -> PlanFile.read(f)).isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(f.toString() + ": line ");
  }

  @Test
  void fileSourceFiltersReachTheSource() throws IOException {
    Files.writeString(dir.resolve("db.pass"), "s3cret\n");
    String yaml = GOOD.replace("    include: [group_vars/all.yaml, \"roles/*/tasks/main.yaml\"]\n",
        "    include: [group_vars/all.yaml, \"roles/*/tasks/main.yaml\"]\n    one-file-system: true\n"
            + "    exclude-caches: true\n    exclude-if-present: [.nobackup]\n    exclude-larger-than: 100M\n");
    assertThat(yaml).contains("one-file-system");
    PlanFile plan = PlanFile.read(write("plan.yaml", yaml));
    dev.cairn.backup.FileSource ansible = (dev.cairn.backup.FileSource) plan.toPlanBuilder().build().sources().get(0);
    assertThat(ansible.oneFileSystem()).isTrue();
    assertThat(ansible.excludeIfPresent()).containsExactly(".nobackup", dev.cairn.backup.FileSource.CACHEDIR_TAG);
    assertRejects(yaml.replace("one-file-system: true", "one-file-system: yes"))
        .hasMessageContaining("one-file-system").hasMessageContaining("true or false");
    assertThat(ansible.excludeLargerThan()).hasValue(100L << 20);
    assertRejects(yaml.replace("exclude-larger-than: 100M", "exclude-larger-than: huge"))
        .hasMessageContaining("exclude-larger-than").hasMessageContaining("'huge' is not a size");
  }

  @Test
  void readsTheWholeVocabulary() throws IOException {
    Files.writeString(dir.resolve("db.pass"), "s3cret\n");
    PlanFile plan = PlanFile.read(write("plan.yaml", GOOD));
    assertThat(plan.name()).isEqualTo("infra");
    assertThat(plan.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(plan.tags()).containsExactly("nightly");
    assertThat(plan.sources()).extracting(PlanFile.SourceSpec::name).containsExactly("ansible", "inventory", "db");
    assertThat(plan.sources().get(0).settings().path("root")).contains(dir.resolve("ansible"));
    FakeDatabaseSource db = (FakeDatabaseSource) plan.sources().get(2).source();
    assertThat(db.url()).isEqualTo("fakedb://127.0.0.1:3306");
    assertThat(db.databases()).containsExactly("app", "billing");
    assertThat(db.password().reveal()).isEqualTo("s3cret");
    assertThat(plan.compressionLevel()).contains(6);
    assertThat(plan.targets()).extracting(PlanFile.TargetSpec::name).containsExactly("local", "drives", "offsite");
    assertThat(plan.primary().name()).isEqualTo("local");
    assertThat(plan.primary().retention()).isEqualTo(Map.of("keep-daily", "7", "keep-weekly", "4"));
    assertThat(plan.primary().policy().daily()).isEqualTo(7);
    assertThat(plan.primary().policy().weekly()).isEqualTo(4);
    assertThat(plan.primary().policy().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(plan.targets().get(2).policy().monthly()).isEqualTo(12);
    assertThat(plan.targets().get(1).storages()).containsExactly("/mnt/backup-a/cairn", "/mnt/backup-b/cairn");
    // 02:00 Berlin in winter is 01:00 UTC
    assertThat(plan.primary().schedule().nextAfter(Instant.parse("2026-11-28T00:00:00Z")))
        .isEqualTo("2026-11-28T01:00:00Z");
    assertThat(plan.targets().get(2).schedule().nextAfter(Instant.parse("2026-11-28T00:00:00Z")))
        .isEqualTo("2026-11-30T23:00:00Z");
    assertThat(plan.checks()).extracting(Check::name).containsExactly(
        "yaml:" + dir.resolve("ansible/group_vars/all.yaml"),
        "command:ansible-playbook --syntax-check infra.yaml", "reachable:db");
    assertThat(plan.checks()).extracting(Check::onFailure)
        .containsExactly(Check.OnFailure.MARK, Check.OnFailure.ABORT, Check.OnFailure.ABORT);
    assertThat(plan.rpo()).contains(Duration.ofHours(24));
    assertThat(plan.rto()).contains(Duration.ofHours(12));
    assertThat(plan.drillReports()).contains(dir.resolve("drills"));
    // secrets are resolved when needed, with the location of the reference in the message
    assertThatThrownBy(() -> plan.passphrase().get()).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 20").hasMessageContaining("CAIRN_TEST_UNSET_VARIABLE is not set");
  }

  @Test
  void inlinePassphraseIsRefused() throws IOException {
    assertRejects(GOOD.replace("passphrase: {env: CAIRN_TEST_UNSET_VARIABLE}", "passphrase: hunter2"))
        .hasMessageContaining("line 20, column 15: encryption.passphrase: secrets are never written inline")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void unknownKeyNamesLineKeyAndAllowedKeys() throws IOException {
    assertRejects(GOOD.replace("    retention: {keep-weekly: 8}", "    retension: {keep-weekly: 8}"))
        .hasMessageContaining("line 30, column 16: targets[1].retension: unknown key 'retension'; allowed here: name, object-lock, offsite, primary, prune,");
    assertRejects(GOOD.replace("keep-daily: 7", "keep-dayly: 7"))
        .hasMessageContaining("line 26").hasMessageContaining("targets[0].retention.keep-dayly: unknown key");
  }

  @Test
  void anAmbiguousRetentionWindowIsRefused() throws IOException {
    // 'cairn forget --keep-within 3m' is three months; a plan that read it as three minutes would forget
    // nearly everything the other rules do not keep
    assertRejects(GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-within: 3m"))
        .hasMessageContaining("keep-within").hasMessageContaining("'3m' is ambiguous").hasMessageContaining("90d");
    assertRejects(GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-within-daily: 1d12m"))
        .hasMessageContaining("ambiguous");
    PlanFile ok = PlanFile.read(write("ok.yaml", GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-within: 90d")));
    assertThat(ok.primary().retention()).containsEntry("keep-within", "90d");
  }

  @Test
  void keepTagIsOneRuleOrAListOfAlternatives() throws IOException {
    Files.writeString(dir.resolve("db.pass"), "s3cret\n");
    PlanFile allOf = PlanFile.read(write("all.yaml", GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-tag: [release, prod]")));
    assertThat(allOf.primary().policy().tags()).containsExactly(List.of("prod", "release"));
    // a list of lists: a snapshot tagged 'pinned', or tagged both 'release' and 'prod', is kept
    PlanFile anyOf = PlanFile.read(write("any.yaml",
        GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-tag: [[pinned], [release, prod]]")));
    assertThat(anyOf.primary().policy().tags()).containsExactlyInAnyOrder(List.of("pinned"), List.of("prod", "release"));
    assertThat(anyOf.primary().retention()).containsEntry("keep-tag", "pinned or release,prod");
    PlanFile mixed = PlanFile.read(write("mixed.yaml", GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-tag: [pinned, [release, prod]]")));
    assertThat(mixed.primary().policy().tags()).containsExactlyInAnyOrder(List.of("pinned"), List.of("prod", "release"));
    assertRejects(GOOD.replace("keep-daily: 7", "keep-daily: 7, keep-tag: [[pinned], {a: b}]"))
        .hasMessageContaining("keep-tag");
  }

  @Test
  void badScheduleNamesTheFieldAtFault() throws IOException {
    assertRejects(GOOD.replace("\"0 2 * * *\"", "\"0 25 * * *\""))
        .hasMessageContaining("line 25, column 15: targets[0].schedule: cron expression '0 25 * * *': hour field '25'");
  }

  @Test
  void yamlSyntaxErrorsAndRepeatedKeysGiveTheLine() throws IOException {
    assertRejects(GOOD.replace("  - name: inventory\n", "  - name: inventory\n     bad: indent\n"))
        .hasMessageContaining("line 11").hasMessageContaining("(YAML syntax)");
    assertRejects(GOOD.replace("tags: [nightly]\n", "tags: [nightly]\nname: other\n"))
        .hasMessageContaining("line 5").hasMessageContaining("Duplicate field 'name'");
  }

  @Test
  void missingAndWrongValuesAreNamed() throws IOException {
    assertRejects(GOOD.replace("name: infra\n", "")).hasMessageContaining("line 1, column 1: missing required key 'name'");
    assertRejects(GOOD.replace("rpo: 24h", "rpo: a day"))
        .hasMessageContaining("objectives.rpo: 'a day' is not a duration such as 24h");
    assertRejects(GOOD.replace("keep-daily: 7", "keep-daily: seven"))
        .hasMessageContaining("targets[0].retention.keep-daily: expected a whole number, found 'seven'");
    assertRejects(GOOD.replace("on-failure: mark", "on-failure: ignore"))
        .hasMessageContaining("checks[0].on-failure: on-failure is 'abort'");
    assertRejects(GOOD.replace("reachable: db", "reachable: nosuch"))
        .hasMessageContaining("checks[2].reachable: no source named 'nosuch'");
    assertRejects(GOOD.replace("timezone: Europe/Berlin", "timezone: Mars/Olympus"))
        .hasMessageContaining("timezone: unknown time zone 'Mars/Olympus'");
    assertRejects(GOOD.replace("url: fakedb://127.0.0.1:3306", "url: mysql://db"))
        .hasMessageContaining("line 16").hasMessageContaining("sources[2].url: expected a fakedb:// URL");
    assertRejects(GOOD.replace("    databases: [app, billing]\n", "    databases: [app, billing]\n    port: 3306\n"))
        .hasMessageContaining("sources[2].port: unknown key 'port'; allowed here: databases, name, password, type, url");
  }

  @Test
  void missingSourceModuleIsNamed() throws IOException {
    assertRejects(GOOD.replace("type: fakedb", "type: mysql"))
        .hasMessageContaining("line 15, column 11: sources[2].type: no source type 'mysql' on the class path:"
            + " add dev.cairn:backup-mysql to the class path");
  }

  @Test
  void targetRules() throws IOException {
    assertRejects(GOOD.replace("  - name: offsite\n", "  - name: local\n"))
        .hasMessageContaining("target name 'local' is used twice");
    assertRejects(GOOD.replace("    schedule: weekly\n", "    schedule: weekly\n    primary: true\n")
        .replace("    schedule: \"0 2 * * *\"\n", "    schedule: \"0 2 * * *\"\n    primary: true\n"))
        .hasMessageContaining("only one target can be primary");
    assertRejects(GOOD.replace("rotate: [/mnt/backup-a/cairn, /mnt/backup-b/cairn]", "rotate: [/mnt/backup-a/cairn]"))
        .hasMessageContaining("'rotate' needs at least two");
  }

  @Test
  void emptyOrMissingFile() throws IOException {
    assertThatThrownBy(() -> PlanFile.read(write("empty.yaml", "")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("the plan file is empty");
    assertThatThrownBy(() -> PlanFile.read(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("does not exist");
  }

  @Test
  void longestGapOfASchedule() {
    Instant from = Instant.parse("2026-11-28T00:00:00Z");
    assertThat(dev.cairn.backup.Schedule.cron("0 4 * * SUN", java.time.ZoneOffset.UTC).longestGap(from))
        .isEqualTo(Duration.ofDays(7));
    assertThat(dev.cairn.backup.Schedule.cron("@monthly", java.time.ZoneOffset.UTC).longestGap(from))
        .isEqualTo(Duration.ofDays(31));
    assertThat(dev.cairn.backup.Schedule.every(Duration.ofHours(6)).longestGap(from))
        .isEqualTo(Duration.ofHours(6));
    // daylight saving time does not make a daily run "25 hours apart" (spring and autumn in Berlin)
    assertThat(dev.cairn.backup.Schedule.cron("0 2 * * *", java.time.ZoneId.of("Europe/Berlin")).longestGap(from))
        .isEqualTo(Duration.ofDays(1));
  }

  @Test
  void durations() {
    assertThat(PlanFile.parseDuration("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(PlanFile.parseDuration("1h 30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PlanFile.parseDuration("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(PlanFile.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(PlanFile.parseDuration("PT12H")).isEqualTo(Duration.ofHours(12));
    assertThatThrownBy(() -> PlanFile.parseDuration("12")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PlanFile.parseDuration("12x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretFromFileDropsTheTrailingNewline() throws IOException {
    Files.writeString(dir.resolve("pass"), "correct horse\n");
    PlanFile plan = PlanFile.read(dir.resolve("p.yaml"), new StringReader(
        GOOD.replace("passphrase: {env: CAIRN_TEST_UNSET_VARIABLE}", "passphrase: {file: pass}")
            .replace("password: {file: db.pass}", "password: {env: CAIRN_TEST_UNSET_VARIABLE}")
            .replace("    password: {env: CAIRN_TEST_UNSET_VARIABLE}\n", "")));
    assertThat(plan.passphrase().get().reveal()).isEqualTo("correct horse");
    assertThat(List.of(plan.sources().get(2).source())).hasSize(1);
  }
}
