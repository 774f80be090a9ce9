package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.DrillReport;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.Scheduler;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML plan run for real through the engine: load, backup with checks and hooks, drill, health.
 */
class PlanRunTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.at("2026-11-28T02:00:00Z");

  @BeforeEach
  void configTree() throws IOException {
    Path ansible = dir.resolve("ansible");
    Files.createDirectories(ansible.resolve("group_vars"));
    Files.createDirectories(ansible.resolve("roles/db/tasks"));
    Files.createDirectories(ansible.resolve("roles/web/tasks"));
    Files.writeString(ansible.resolve("infra.yaml"), "- hosts: all\n  roles: [db, web]\n");
    Files.writeString(ansible.resolve("group_vars/all.yaml"), "mysql_port: 3306\n");
    Files.writeString(ansible.resolve("roles/db/tasks/main.yaml"), "- name: db\n  debug: {msg: db}\n");
    Files.writeString(ansible.resolve("roles/web/tasks/main.yaml"), "- name: web\n  debug: {msg: web}\n");
    Files.writeString(ansible.resolve("roles/web/README.md"), "not backed up\n");
    Files.writeString(dir.resolve("passphrase"), "correct horse battery staple\n");
  }

  private BackupPlan plan(String checkPolicy) throws IOException {
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, """
        name: infra
        sources:
          - name: ansible
            type: files
            root: ansible
            include: [infra.yaml, group_vars/all.yaml, "roles/*/tasks/main.yaml"]
          - name: inventory
            type: stream
            command: [sh, -c, "echo '{\\"all\\": [\\"db1\\", \\"web1\\"]}'"]
            path: inventory.json
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            storage: repo
        checks:
          - yaml: [ansible/group_vars/all.yaml]
            on-failure: %s
        hooks:
          after: echo "$CAIRN_SNAPSHOT $CAIRN_TARGET" >> hooks.log
          on-failure: 'echo "failed: $CAIRN_ERROR" >> hooks.log'
        objectives: {rpo: 24h, rto: 12h, enforce: warn}
        drill: {scratch: scratch, reports: drills}
        """.formatted(checkPolicy));
    return PlanFile.read(file).toPlanBuilder().clock(clock).createRepository(true).build();
  }

  @Test
  void backupDrillAndHealthOfAYamlPlan() throws IOException {
    BackupPlan plan = plan("abort");
    assertThat(plan.health().ok()).isFalse();   // nothing backed up yet

    BackupReport report = plan.backup();
    Snapshot snap = report.snapshot();
    assertThat(snap.plan()).isEqualTo("infra");
    assertThat(snap.checks()).singleElement().satisfies(c -> assertThat(c.passed()).isTrue());
    assertThat(Files.readString(dir.resolve("hooks.log"))).isEqualTo(snap.id().hex() + " local\n");

    clock.advance(Duration.ofHours(1));
    DrillReport drill = plan.drill();
    assertThat(drill.passed()).as(() -> dev.cairn.backup.DrillReports.toText(drill)).isTrue();
    assertThat(drill.snapshot()).isEqualTo(snap.id().hex());
    assertThat(drill.sources()).extracting(DrillReport.SourceResult::source).containsExactly("ansible", "inventory");
    assertThat(drill.sources().get(0).entries()).isGreaterThanOrEqualTo(4);
    // the stream source's recorded checksum was verified
    assertThat(drill.sources().get(1).results()).isNotEmpty().allMatch(r -> r.ok());
    try (var left = Files.list(dir.resolve("scratch"))) {
      assertThat(left).as("scratch destinations removed").isEmpty();
    }
    assertThat(dev.cairn.backup.DrillReports.readAll(dir.resolve("drills"))).singleElement()
        .satisfies(d -> assertThat(d.snapshot()).isEqualTo(snap.id().hex()));

    HealthReport health = plan.health();
    assertThat(health.ok()).as(health::toText).isTrue();
    assertThat(health.target("local").orElseThrow().age()).isEqualTo(Duration.ofHours(1));

    // a day and a half later without a backup, the RPO is missed
    clock.advance(Duration.ofHours(36));
    HealthReport late = plan.health();
    assertThat(late.ok()).isFalse();
    assertThat(late.violations()).singleElement().asString().startsWith("local RPO:");
  }

  @Test
  void drillThatRestoredNothingDoesNotPass() throws IOException {
    // a typo in the includes ("rolez") matches nothing: the snapshot holds no file of the Ansible tree, and the
    // drill "restored" 0 entries in 0 s, PASSED, and so proved the RTO in plan status
    plan("abort");   // writes plan.yaml
    Files.writeString(dir.resolve("plan.yaml"), Files.readString(dir.resolve("plan.yaml"))
        .replace("include: [infra.yaml, group_vars/all.yaml, \"roles/*/tasks/main.yaml\"]",
            "include: [\"rolez/*/tasks/main.yaml\"]"));
    BackupPlan plan = PlanFile.read(dir.resolve("plan.yaml")).toPlanBuilder().clock(clock).createRepository(true).build();
    Snapshot snap = plan.backup().snapshot();
    assertThat(snap.source("ansible").orElseThrow().entries()).isZero();

    DrillReport drill = plan.drill();
    assertThat(drill.passed()).as(() -> dev.cairn.backup.DrillReports.toText(drill)).isFalse();
    DrillReport.SourceResult ansible = drill.sources().get(0);
    assertThat(ansible.passed()).isFalse();
    assertThat(ansible.error()).contains("holds nothing");
    assertThat(drill.sources().get(1).passed()).isTrue();   // the inventory stream restored and verified
    assertThat(plan.health().ok()).isFalse();                // no drill proves the RTO
  }

  @Test
  void scheduledPlanBacksUpWhenDueAndCatchesUpOnceAfterDowntime() throws IOException {
    plan("abort");   // writes plan.yaml
    PlanFile file = PlanFile.read(dir.resolve("plan.yaml"));
    BackupPlan plan = file.toPlanBuilder().clock(clock).createRepository(true).build();
    // the plan's schedule is the default: daily at 00:00 in the system zone; pin UTC for the test
    Scheduler first = Scheduler.builder().clock(clock).runner(Runnable::run)
        .job("infra", file.primary().schedule().withZone(java.time.ZoneOffset.UTC), plan::backup,
            () -> plan.snapshots().stream().map(Snapshot::time).max(java.util.Comparator.naturalOrder()))
        .build();
    assertThat(first.runDue()).isEmpty();          // never backed up, nothing missed: wait for 00:00
    clock.set(java.time.Instant.parse("2026-11-29T00:00:00Z"));
    assertThat(first.runDue()).containsExactly("infra");
    assertThat(plan.snapshots()).extracting(Snapshot::time).containsExactly(java.time.Instant.parse("2026-11-29T00:00:00Z"));

    // the application is down for three days; at start the missed runs are caught up once
    clock.set(java.time.Instant.parse("2026-12-02T09:30:00Z"));
    Scheduler second = file.schedule(plan, Scheduler.builder().clock(clock).runner(Runnable::run)).build();
    assertThat(second.runDue()).containsExactly("infra");
    assertThat(second.runDue()).isEmpty();
    assertThat(plan.snapshots()).hasSize(2);
  }

  @Test
  void failingBeforeHookAbortsAndFailingAfterHookOnlyWarns() throws IOException {
    plan("abort");
    Path file = dir.resolve("plan.yaml");
    String yaml = Files.readString(file);
    Files.writeString(file, yaml.replace("  after: echo", "  before: 'echo cannot quiesce >&2; exit 3'\n  after: echo"));
    BackupPlan aborting = PlanFile.read(file).toPlanBuilder().clock(clock).createRepository(true).build();
    assertThatThrownBy(aborting::backup).isInstanceOf(BackupException.class)
        .hasMessageContaining("before-backup hook").hasMessageContaining("exited with 3")
        .hasMessageContaining("cannot quiesce");
    assertThat(Files.readString(dir.resolve("hooks.log"))).startsWith("failed: before-backup hook");

    Files.writeString(file, yaml.replace("  after: echo \"$CAIRN_SNAPSHOT $CAIRN_TARGET\" >> hooks.log",
        "  after: exit 4"));
    BackupPlan warning = PlanFile.read(file).toPlanBuilder().clock(clock).createRepository(true).build();
    BackupReport report = warning.backup();
    assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("after-backup hook failed").contains("exited with 4"));
    assertThat(warning.snapshots()).extracting(Snapshot::id).containsExactly(report.snapshotId());
  }

  @Test
  void aFailedCopyRunsTheOnFailureHookWhileTheSnapshotStays() throws IOException {
    plan("abort");
    Path file = dir.resolve("plan.yaml");
    // the off-site location is a plain file: no repository can be created there
    Files.writeString(dir.resolve("not-a-directory"), "x");
    Files.writeString(file, Files.readString(file).replace("""
        targets:
          - name: local
            storage: repo
        """, """
        targets:
          - name: local
            storage: repo
          - name: offsite
            storage: not-a-directory/cairn
            schedule: monthly
        """));
    BackupPlan plan = PlanFile.read(file).toPlanBuilder().clock(clock).createRepository(true).build();
    BackupReport report = plan.backup();
    assertThat(report.copies()).singleElement().satisfies(c -> assertThat(c.succeeded()).isFalse());
    assertThat(plan.snapshots()).extracting(Snapshot::id).containsExactly(report.snapshotId());
    String log = Files.readString(dir.resolve("hooks.log"));
    assertThat(log).contains(report.snapshotId().hex() + " local")   // the after hook ran
        .contains("failed: plan 'infra': snapshot " + report.snapshotId().shortHex() + " was saved, but copy to offsite failed");
  }

  @Test
  void aGraceKeepsTheDailyBackupFromViolatingA24HourRpoWhileTheNextOneRuns() throws IOException {
    Path file = dir.resolve("plan.yaml");
    plan("abort").backup();   // dated at its start, as every snapshot
    Duration whileNextRuns = Duration.ofHours(24).plusMinutes(20);
    PlanFile strict = PlanFile.read(file);
    HealthReport.ObjectiveResult without = strict.health(strict.toPlanBuilder().clock(clock).build(),
        clock.instant().plus(whileNextRuns)).target("local").orElseThrow().objective(HealthReport.Objective.RPO)
        .orElseThrow();
    assertThat(without.status()).as("the strict reading: 24h 20m of data at risk").isEqualTo(HealthReport.Status.VIOLATED);

    Files.writeString(file, Files.readString(file).replace("enforce: warn}", "enforce: warn, grace: 1h}"));
    PlanFile lenient = PlanFile.read(file);
    assertThat(lenient.rpoGrace()).isEqualTo(Duration.ofHours(1));
    BackupPlan plan = lenient.toPlanBuilder().clock(clock).build();
    HealthReport.ObjectiveResult running = lenient.health(plan, clock.instant().plus(whileNextRuns))
        .target("local").orElseThrow().objective(HealthReport.Objective.RPO).orElseThrow();
    assertThat(running.status()).isEqualTo(HealthReport.Status.OK);
    assertThat(running.limit()).isEqualTo(Duration.ofHours(25));
    HealthReport late = lenient.health(plan, clock.instant().plus(Duration.ofHours(25).plusMinutes(1)));
    assertThat(late.target("local").orElseThrow().objective(HealthReport.Objective.RPO).orElseThrow().status())
        .as("the next backup failed or hangs").isEqualTo(HealthReport.Status.VIOLATED);

    Files.writeString(file, Files.readString(file).replace("grace: 1h", "grace: PT-1H"));
    assertThatThrownBy(() -> PlanFile.read(file)).hasMessageContaining("'PT-1H' is negative");
    Files.writeString(file, Files.readString(file).replace("grace: PT-1H", "grace: 1h"));
    Files.writeString(file, Files.readString(file).replace("rpo: 24h, ", ""));
    assertThatThrownBy(() -> PlanFile.read(file)).hasMessageContaining("grace").hasMessageContaining("objectives.rpo");
  }

  @Test
  void healthCoversCopyTargetsOfThePlanFile() throws IOException {
    plan("abort");
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, Files.readString(file).replace("""
        targets:
          - name: local
            storage: repo
        """, """
        targets:
          - name: local
            storage: repo
          - name: drives
            rotate: [drive-a, drive-b]
            schedule: "0 4 * * SUN"
          - name: offsite
            storage: offsite
            schedule: monthly
        """));
    PlanFile planFile = PlanFile.read(file);
    BackupPlan plan = planFile.toPlanBuilder().clock(clock).createRepository(true).build();
    // before any backup, no target holds a snapshot
    HealthReport before = planFile.health(plan, clock.instant());
    assertThat(before.target("drives").orElseThrow().objective(HealthReport.Objective.RPO).orElseThrow().message())
        .contains("has no good snapshot");
    assertThat(before.target("offsite").orElseThrow().ok()).isFalse();

    plan.backup();   // the first backup is copied to drive A and off site at once
    HealthReport h = planFile.health(plan, clock.instant().plus(Duration.ofHours(2)));
    for (String target : List.of("local", "drives", "offsite")) {
      assertThat(h.target(target).orElseThrow().objective(HealthReport.Objective.RPO).orElseThrow().status())
          .as(target).isEqualTo(HealthReport.Status.OK);
    }

    HealthReport after = planFile.health(plan, clock.instant().plus(Duration.ofDays(9)));
    HealthReport.TargetHealth drives = after.target("drives").orElseThrow();
    // weekly copies are allowed 7 days plus the 24 h RPO; 9 days is too old
    assertThat(drives.objective(HealthReport.Objective.RPO).orElseThrow().limit()).isEqualTo(Duration.ofDays(8));
    assertThat(drives.objective(HealthReport.Objective.RPO).orElseThrow().status()).isEqualTo(HealthReport.Status.VIOLATED);
    // monthly off site: 31 days plus the RPO
    assertThat(after.target("offsite").orElseThrow().objective(HealthReport.Objective.RPO).orElseThrow().status())
        .isEqualTo(HealthReport.Status.OK);
    // the primary has had no backup for 9 days
    assertThat(after.target("local").orElseThrow().ok()).isFalse();
  }

  @Test
  void aStreamCommandRunsInThePlanFilesDirectory() throws IOException {
    Path script = dir.resolve("dump.sh");
    Files.writeString(script, "#!/bin/sh\necho \"dumped in $(basename \"$PWD\")\"\n");
    script.toFile().setExecutable(true);
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, """
        name: dumps
        sources:
          - name: dump
            type: stream
            command: ./dump.sh        # relative: to the plan file, not to where cairn runs (cron: /); a string runs with sh -c
            path: dump.txt
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            storage: repo
        """);
    BackupPlan plan = PlanFile.read(file).toPlanBuilder().clock(clock).createRepository(true).build();
    plan.backup();
    Path out = dir.resolve("restored");
    plan.restore(dev.cairn.backup.RestoreRequest.builder().snapshot("latest").destination(out).build());
    assertThat(Files.readString(out.resolve("dump.txt"))).isEqualTo("dumped in " + dir.getFileName() + "\n");
  }

  @Test
  void failedCheckAbortsOrMarks() throws IOException {
    Files.writeString(dir.resolve("ansible/group_vars/all.yaml"), "mysql_port: 3306\n  bad: indent\n");
    BackupPlan aborting = plan("abort");
    assertThatThrownBy(aborting::backup).isInstanceOf(BackupException.class)
        .hasMessageContaining("all.yaml: line 2");
    assertThat(Files.readString(dir.resolve("hooks.log"))).startsWith("failed: ");
    assertThat(aborting.snapshots()).isEmpty();

    BackupPlan marking = plan("mark");
    Snapshot marked = marking.backup().snapshot();
    assertThat(marked.checksPassed()).isFalse();
    assertThat(marking.health().target("local").orElseThrow().newestGood()).isNull();
    assertThat(marking.snapshots()).extracting(Snapshot::id).containsExactly(marked.id());
  }
}
