package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RetentionReport;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML plan with copy targets runs them: each backup goes to the primary, copies go to the targets
 * that are due (the two drives in turn, the off-site bucket monthly), and every target's retention is
 * applied after it receives a snapshot, with a prune where configured.
 */
class PlanTargetsTest {
  @TempDir Path dir;
  // a Saturday: the weekly copy (Sundays 04:00) and the monthly one (the 1st) are due at once
  private final MutableClock clock = MutableClock.at("2026-11-28T02:00:00Z");

  private BackupPlan plan() throws IOException {
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config/all.yaml"), "mysql_port: 3306\n");
    Files.writeString(dir.resolve("passphrase"), "correct horse battery staple\n");
    System.setProperty("cairn.test.s3.root", dir.resolve("s3").toString());
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, """
        name: infra
        timezone: UTC
        sources:
          - {name: config, type: files, root: config}
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            storage: local
            schedule: "0 2 * * *"
            retention: {keep-last: 2}
            prune: {max-unused: 0, safety-window: 0s}
          - name: drives
            rotate: [drive-a, drive-b]
            schedule: "0 4 * * SUN"
            retention: {keep-last: 1}
          - name: offsite
            storage: s3://bucket/infra
            schedule: monthly
            retention: {keep-monthly: 12}
            object-lock: 400d
        objectives: {rpo: 24h, rto: 12h}
        """);
    return PlanFile.read(file).toPlanBuilder().clock(clock).createRepository(true).build();
  }

  private List<Snapshot> snapshotsIn(String location) {
    var storage = location.startsWith("s3://") ? Storages.fromUri(location) : Storages.local(dir.resolve(location));
    try (Repository repo = Repository.builder(storage).passphrase(Secret.of("correct horse battery staple")).open()) {
      return repo.snapshots();
    }
  }

  private void change(String text) throws IOException {
    Files.writeString(dir.resolve("config/all.yaml"), text);
  }

  @Test
  void backupsCopyToDueTargetsAndApplyEachTargetsRetention() throws IOException {
    BackupPlan plan = plan();
    assertThat(plan.objectiveViolations()).isEmpty();

    BackupReport first = plan.backup();
    assertThat(first.copies()).extracting(CopyReport::target).containsExactly("drives-1", "offsite");
    assertThat(first.copies()).allMatch(CopyReport::succeeded);
    assertThat(first.retention()).extracting(RetentionReport::target).containsExactly("local", "drives-1", "offsite");
    assertThat(first.retention()).allMatch(RetentionReport::succeeded).allMatch(r -> r.removed().isEmpty());
    assertThat(first.retention().get(0).prune()).as("local prunes").isNotNull();
    assertThat(first.retention().get(1).prune()).as("drives do not prune").isNull();

    clock.advance(Duration.ofDays(1));   // Sunday 02:00: neither schedule has fired since the copies
    change("mysql_port: 3307\n");
    BackupReport second = plan.backup();
    assertThat(second.copies()).isEmpty();
    assertThat(second.retention()).extracting(RetentionReport::target).containsExactly("local");

    clock.advance(Duration.ofDays(1));   // Monday: Sunday 04:00 fired since the first copy: drive B's turn
    change("mysql_port: 3308\n");
    BackupReport third = plan.backup();
    assertThat(third.copies()).extracting(CopyReport::target).containsExactly("drives-2");
    // keep-last 2 on the primary: the first snapshot is forgotten, and pruned
    RetentionReport local = third.retention().get(0);
    assertThat(local.target()).isEqualTo("local");
    assertThat(local.removed()).extracting(Snapshot::id).containsExactly(first.snapshotId());
    assertThat(snapshotsIn("local")).extracting(Snapshot::id)
        .containsExactlyInAnyOrder(second.snapshotId(), third.snapshotId());
    assertThat(local.prune().render()).isNotBlank();

    clock.advance(Duration.ofDays(7));   // Monday December 7th: drive A again, and the monthly off-site copy
    change("mysql_port: 3309\n");
    BackupReport fourth = plan.backup();
    assertThat(fourth.copies()).extracting(CopyReport::target).containsExactly("drives-1", "offsite");
    assertThat(fourth.retention()).filteredOn(r -> r.target().equals("drives-1")).singleElement()
        .satisfies(r -> assertThat(r.removed()).hasSize(1));
    assertThat(snapshotsIn("drive-a")).singleElement().satisfies(s -> assertThat(s.time()).isEqualTo(fourth.snapshot().time()));
    assertThat(snapshotsIn("drive-b")).singleElement().satisfies(s -> assertThat(s.time()).isEqualTo(third.snapshot().time()));
    // off site, keep-monthly 12 keeps November's and December's copies
    assertThat(snapshotsIn("s3://bucket/infra")).extracting(Snapshot::time)
        .containsExactlyInAnyOrder(first.snapshot().time(), fourth.snapshot().time());
  }
}
