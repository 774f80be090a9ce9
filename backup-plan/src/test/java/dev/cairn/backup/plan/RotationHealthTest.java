package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan status} for a rotation of two drives with weekly copies and daily backups: each drive is
 * judged on its own turns, so a drive that stopped receiving copies is reported although the rotation
 * as a whole stays fresh, while a drive unplugged between its turns (as rotating drives are) is not.
 */
class RotationHealthTest {
  @TempDir Path dir;
  // Saturday; the copy schedule fires on Sundays at 04:00, backups run daily at 02:00
  private final MutableClock clock = MutableClock.at("2026-11-28T02:00:00Z");
  private PlanFile file;
  private BackupPlan plan;

  @BeforeEach
  void plan() throws IOException {
    plan("");
  }

  /** Writes the plan file, with {@code extra} appended, creates its repositories once, and reads it. */
  private void plan(String extra) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("passphrase"), "correct horse battery staple\n");
    Files.writeString(dir.resolve("plan.yaml"), """
        name: infra
        sources:
          - name: data
            type: files
            root: data
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            storage: repo
            schedule: daily
          - name: drives
            rotate: [drive-a, drive-b]
            schedule: "0 4 * * SUN"
        objectives: {rpo: 24h, enforce: warn}
        """ + extra);
    Secret passphrase = Secret.of("correct horse battery staple");
    if (Files.exists(dir.resolve("repo"))) {
      file = PlanFile.read(dir.resolve("plan.yaml"));
      plan = file.toPlanBuilder().clock(clock).createRepository(false).build();
      return;
    }
    try (Repository primary = Repository.builder(Storages.local(dir.resolve("repo"))).passphrase(passphrase).init()) {
      for (String drive : new String[] {"drive-a", "drive-b"}) {
        Repository.builder(Storages.local(dir.resolve(drive))).passphrase(passphrase).chunkingFrom(primary).init()
            .close();
      }
    }
    file = PlanFile.read(dir.resolve("plan.yaml"));
    // the plan does not create repositories: a blank drive must not get one on its empty mount point
    plan = file.toPlanBuilder().clock(clock).createRepository(false).build();
  }

  /** One daily backup; returns the drive the copy went to, or "" if none was due. */
  private String backupDay() throws IOException {
    Files.writeString(dir.resolve("data/day.txt"), clock.instant().toString());
    BackupReport report = file.recordDrives(plan.backup(), clock.instant()); // as 'cairn plan run' does
    clock.advance(Duration.ofDays(1));
    return report.copies().stream().filter(CopyReport::succeeded).map(CopyReport::target).findFirst().orElse("");
  }

  private HealthReport.ObjectiveResult rpo(HealthReport health, String target) {
    return health.target(target).orElseThrow().objective(HealthReport.Objective.RPO).orElseThrow();
  }

  private void unplug(String drive) throws IOException {
    Files.move(dir.resolve(drive), dir.resolve(drive + ".away"));
  }

  private void plugIn(String drive) throws IOException {
    Files.move(dir.resolve(drive + ".away"), dir.resolve(drive));
  }

  @Test
  void eachDriveOfTheRotationHasARowThatSaysWhyItCannotBeRead() throws IOException {
    // a blank replacement for drive B: mounted, but without a repository
    try (var paths = Files.walk(dir.resolve("drive-b"))) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createDirectories(dir.resolve("drive-b"));
    for (int day = 0; day < 10; day++) {
      backupDay();   // Sat 28 Nov .. Mon 7 Dec: every copy goes to A
    }
    HealthReport health = file.health(plan, clock.instant());
    assertThat(health.targets()).extracting(HealthReport.TargetHealth::target)
        .containsExactly("local", "drives", "drives-1", "drives-2");
    assertThat(rpo(health, "drives").status()).isEqualTo(HealthReport.Status.OK);
    assertThat(health.target("drives-1").orElseThrow().newestGood()).isNotNull();
    HealthReport.ObjectiveResult b = rpo(health, "drives-2");
    assertThat(b.message()).contains("cannot be read now", "no repository at drive-b", "not judged");
    assertThat(health.toText()).contains("target drives-2", "no repository at drive-b");
  }

  @Test
  void aDriveBackFromTheDrawerAfterMissingTwoTurnsIsReportedUntilItGetsACopy() throws IOException {
    assertThat(backupDay()).isEqualTo("drives-1");   // Sat 28 Nov: both present, A first
    backupDay();
    assertThat(backupDay()).isEqualTo("drives-2");   // Mon 30: the Sunday firing, B the most stale
    unplug("drive-b");
    for (int day = 0; day < 7; day++) {
      backupDay();   // to Mon 7 Dec: A's copies
    }
    HealthReport away = file.health(plan, clock.instant());
    assertThat(away.ok()).as(away::toText).isTrue();
    assertThat(rpo(away, "drives-2").message()).contains("cannot be read now", "not judged");
    // weekly copies over two drives: each drive's newest copy may be 3 weeks + the RPO old (one turn missed)
    assertThat(rpo(away, "drives-1").limit()).isEqualTo(Duration.ofDays(22));
    plugIn("drive-b");
    HealthReport oneMissed = file.health(plan, clock.instant());
    assertThat(rpo(oneMissed, "drives-2").status()).as(oneMissed::toText).isEqualTo(HealthReport.Status.OK);
    unplug("drive-b");
    for (int day = 0; day < 15; day++) {
      backupDay();   // to Tue 22 Dec: B's newest copy (30 Nov) is now 23 days old
    }
    plugIn("drive-b");
    HealthReport twoMissed = file.health(plan, clock.instant());
    assertThat(rpo(twoMissed, "drives").status()).as("the rotation as a whole is fresh")
        .isEqualTo(HealthReport.Status.OK);
    assertThat(rpo(twoMissed, "drives-1").status()).isEqualTo(HealthReport.Status.OK);
    HealthReport.ObjectiveResult b = rpo(twoMissed, "drives-2");
    assertThat(b.status()).as(twoMissed::toText).isEqualTo(HealthReport.Status.VIOLATED);
    assertThat(b.message()).contains("drive-b", "missed its turns", "23d 0h old", "cairn copy --to drive-b latest");
    assertThat(twoMissed.violations()).anyMatch(v -> v.startsWith("drives-2 RPO"));

    for (int day = 0; day < 6; day++) {
      backupDay();   // Mon 28: B, the most stale, gets the copy
    }
    HealthReport back = file.health(plan, clock.instant());
    assertThat(back.ok()).as(back::toText).isTrue();
    assertThat(back.target("drives-2").orElseThrow().newestGood().time())
        .isEqualTo(java.time.Instant.parse("2026-12-28T02:00:00Z"));
    assertThat(back.target("drives-2").orElseThrow().lastCopy()).isEqualTo(java.time.Instant.parse("2026-12-28T02:00:00Z"));
    assertThat(back.target("drives").orElseThrow().lastCopy()).isEqualTo(java.time.Instant.parse("2026-12-28T02:00:00Z"));
    assertThat(back.toText()).contains("last copy: 2026-12-28T02:00:00Z");
  }

  @Test
  void aDriveLeftInTheDrawerIsReportedWhileUnpluggedWhenThePlanKeepsARecord() throws IOException {
    plan("drill: {reports: drills}\n");
    assertThat(backupDay()).isEqualTo("drives-1");   // Sat 28 Nov
    backupDay();
    assertThat(backupDay()).isEqualTo("drives-2");   // Mon 30 Nov: B's copy, recorded by the run
    unplug("drive-b");   // and never plugged in again
    for (int day = 0; day < 7; day++) {
      backupDay();
    }
    HealthReport week = file.health(plan, clock.instant());
    HealthReport.ObjectiveResult b = rpo(week, "drives-2");
    assertThat(b.status()).as(week::toText).isEqualTo(HealthReport.Status.OK);
    assertThat(b.message()).contains("cannot be read now", "when last read", "2026-11-30T02:00:00Z", "within 22d");
    for (int day = 0; day < 15; day++) {
      backupDay();   // to Tue 22 Dec: B's newest copy is 23 days old, and B is still in the drawer
    }
    HealthReport late = file.health(plan, clock.instant());
    b = rpo(late, "drives-2");
    assertThat(b.status()).as(late::toText).isEqualTo(HealthReport.Status.VIOLATED);
    assertThat(b.message()).contains("drive-b", "cannot be read now", "missed its turns", "23d 0h old",
        "plug it in");
    assertThat(late.violations()).anyMatch(v -> v.startsWith("drives-2 RPO"));
    assertThat(rpo(late, "drives-1").status()).isEqualTo(HealthReport.Status.OK);
    assertThat(Files.readString(dir.resolve("drills/rotation-drives.json"))).contains("drive-b", "2026-11-30T02:00:00Z");
  }

  @Test
  void theRotationCountsTheRecordedCopyOfADriveTakenAwayRightAfterItsTurn() throws IOException {
    // the usual swap: the drive that just received the copy goes to the drawer, the other one is plugged in
    plan("drill: {reports: drills}\n");
    assertThat(backupDay()).isEqualTo("drives-1");   // Sat 28 Nov: A's copy, recorded by the run
    unplug("drive-a");
    HealthReport health = file.health(plan, clock.instant());
    assertThat(rpo(health, "drives-1").message()).contains("when last read", "2026-11-28T02:00:00Z");
    HealthReport.ObjectiveResult rotation = rpo(health, "drives");
    assertThat(rotation.status()).as(health::toText).isEqualTo(HealthReport.Status.OK);
    assertThat(health.ok()).as(health::toText).isTrue();
  }

  @Test
  void aDriveReadByPlanStatusIsRecordedToo() throws IOException {
    // copies made outside the plan run (by hand, or by a Cairn before records): status records what it reads
    backupDay();   // Sat 28 Nov: A, not recorded (no drill.reports yet)
    plan("drill: {reports: drills}\n");
    file.health(plan, clock.instant());   // both drives plugged in: A holds 28 Nov, B nothing
    unplug("drive-a");
    clock.advance(Duration.ofDays(30));
    HealthReport health = file.health(plan, clock.instant());
    HealthReport.ObjectiveResult a = rpo(health, "drives-1");
    assertThat(a.status()).as(health::toText).isEqualTo(HealthReport.Status.VIOLATED);
    assertThat(a.message()).contains("when last read", "2026-11-28T02:00:00Z", "missed its turns");
    HealthReport.ObjectiveResult b = rpo(health, "drives-2");
    assertThat(b.message()).as("a drive without copies has nothing to record").doesNotContain("when last read");
  }

  @Test
  void withoutARecordAnUnpluggedDriveIsNotJudgedAndStatusSaysHowToKeepOne() throws IOException {
    backupDay();
    unplug("drive-b");
    HealthReport health = file.health(plan, clock.instant());
    assertThat(rpo(health, "drives-2").message()).contains("not judged", "set drill.reports");
  }

  @Test
  void aNewDriveWaitsForItsFirstTurnAndACopyOfEverySnapshotToOneDriveBlamesNoOther() throws IOException {
    for (int day = 0; day < 10; day++) {
      backupDay();   // Sat 28 Nov .. Mon 7 Dec, both drives present: A, B, A
    }
    // drive B is replaced by a new one, created as the docs say, and not plugged in yet at its turn
    try (var paths = Files.walk(dir.resolve("drive-b"))) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Secret passphrase = Secret.of("correct horse battery staple");
    try (Repository primary = Repository.builder(Storages.local(dir.resolve("repo"))).passphrase(passphrase).open();
        Repository fresh = Repository.builder(Storages.local(dir.resolve("drive-b"))).passphrase(passphrase)
            .chunkingFrom(primary).init()) {
      // and someone copied every snapshot of the primary to drive A by hand
      primary.copyTo(Repository.builder(Storages.local(dir.resolve("drive-a"))).passphrase(passphrase).open());
    }
    HealthReport health = file.health(plan, clock.instant());
    assertThat(health.ok()).as(health::toText).isTrue();
    assertThat(rpo(health, "drives-2").message()).contains("holds no copy yet");
    clock.advance(Duration.ofDays(23));
    HealthReport later = file.health(plan, clock.instant());
    assertThat(rpo(later, "drives-2").status()).as(later::toText).isEqualTo(HealthReport.Status.VIOLATED);
    assertThat(rpo(later, "drives-2").message()).contains("holds no copy although its repository is", "missed its turns");
  }

  @Test
  void aDriveHoldingAKeyFileThatNoLongerParsesDoesNotCrashPlanStatus() throws IOException {
    // bit rot or a truncated write: listed as a damaged key with no creation time
    Files.writeString(dir.resolve("drive-a/keys/" + "ab".repeat(32)), "{ not a key file");
    backupDay();
    HealthReport health = file.health(plan, clock.instant());
    assertThat(health.target("drives-1").orElseThrow().newestGood()).isNotNull();
    assertThat(health.target("drives-2")).isPresent();
  }
}
