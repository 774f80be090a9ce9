package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan status with a drive whose keys/ holds a damaged key file (listed with no creation time since be1e219). */
class RotationDamagedKeyTest {
  @TempDir Path dir;

  @Test
  void aDamagedKeyFileOnADriveDoesNotCrashPlanStatus() throws Exception {
    MutableClock clock = MutableClock.at("2026-11-28T02:00:00Z");
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/a.txt"), "a");
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
        """);
    Secret passphrase = Secret.of("correct horse battery staple");
    try (Repository primary = Repository.builder(Storages.local(dir.resolve("repo"))).passphrase(passphrase).init()) {
      for (String drive : new String[] {"drive-a", "drive-b"}) {
        Repository.builder(Storages.local(dir.resolve(drive))).passphrase(passphrase).chunkingFrom(primary).init()
            .close();
      }
    }
    // bit rot / a truncated write: a key file whose content no longer matches its name nor parses
    Files.writeString(dir.resolve("drive-a/keys/" + "ab".repeat(32)), "{ not a key file");
    PlanFile file = PlanFile.read(dir.resolve("plan.yaml"));
    BackupPlan plan = file.toPlanBuilder().clock(clock).createRepository(false).build();
    plan.backup();
    assertThatCode(() -> {
      HealthReport health = file.health(plan, clock.instant());
      assertThat(health.target("drives-1")).isPresent();
    }).doesNotThrowAnyException();
  }
}
