package dev.cairn.backup.integration;

import static dev.cairn.backup.integration.CopyFixtures.SOURCE_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.repository;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Rotation;
import dev.cairn.backup.Schedule;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Target;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import dev.cairn.backup.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team's 3-2-1 plan across 60 simulated days: daily backups to a primary repository, two on-site
 * drives rotated weekly, and an S3 bucket (embedded s3proxy) refreshed monthly.
 */
class PlanCopyIT {
  @TempDir Path tmp;

  @Test
  void sixtyDaysPutTheRightSnapshotsOnTheRightTargets() throws Exception {
    MutableClock clock = MutableClock.at("2026-01-01T02:00:00Z"); // a Thursday
    Storage primary = new InMemoryStorage();
    FaultyStorage driveA = new FaultyStorage(new InMemoryStorage());
    Storage driveB = new InMemoryStorage();
    try (EmbeddedServers servers = new EmbeddedServers(tmp.resolve("servers"));
        Storage offsite = servers.s3("offsite")) {
      // repositories created up front (cheap key derivation); the copies share the primary's chunking
      try (Repository p = repository(primary, SOURCE_PASSPHRASE).init()) {
        for (Storage s : List.of(driveA, driveB, offsite)) {
          repository(s, SOURCE_PASSPHRASE).chunkingFrom(p).init().close();
        }
      }
      Path data = Files.createDirectories(tmp.resolve("data"));
      BackupPlan plan = BackupPlan.builder()
          .name("infra")
          .host("ops")
          .source(FileSource.of(data))
          .encryption(Encryption.passphrase(SOURCE_PASSPHRASE))
          .clock(clock)
          .primary(Target.of("local", primary))
          .copyTo(Rotation.of("onsite", Target.of("onsite-a", driveA), Target.of("onsite-b", driveB)),
              Schedule.weekly().withZone(ZoneOffset.UTC))
          .copyTo(Target.of("offsite", offsite), Schedule.monthly().withZone(ZoneOffset.UTC))
          .build();

      Map<String, List<LocalDate>> reported = new LinkedHashMap<>();
      for (int day = 0; day < 60; day++) {
        LocalDate date = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (date.equals(LocalDate.of(2026, 1, 24))) {
          driveA.failNext(Operation.STAT, 10_000); // drive A is away for a week: not readable
        }
        if (date.equals(LocalDate.of(2026, 1, 31))) {
          driveA.heal();
        }
        Files.writeString(data.resolve("inventory.yaml"), "day: " + date + "\n");
        BackupReport report = plan.backup();
        for (CopyReport c : report.copies()) {
          assertThat(c.succeeded()).as(c.failure()).isTrue();
          assertThat(c.copied()).extracting(Snapshot::time).containsExactly(report.snapshot().time());
          reported.computeIfAbsent(c.target(), t -> new ArrayList<>()).add(date);
        }
        clock.advance(Duration.ofDays(1));
      }

      List<LocalDate> a = dates("2026-01-01", "2026-01-11", "2026-02-01", "2026-02-15", "2026-03-01");
      List<LocalDate> b = dates("2026-01-04", "2026-01-18", "2026-01-25", "2026-02-08", "2026-02-22");
      List<LocalDate> s3 = dates("2026-01-01", "2026-02-01", "2026-03-01");
      assertThat(reported).containsOnlyKeys("onsite-a", "onsite-b", "offsite");
      assertThat(reported.get("onsite-a")).isEqualTo(a);
      assertThat(reported.get("onsite-b")).isEqualTo(b);
      assertThat(reported.get("offsite")).isEqualTo(s3);
      assertThat(snapshotDays(driveA)).isEqualTo(a);
      assertThat(snapshotDays(driveB)).isEqualTo(b);
      assertThat(snapshotDays(offsite)).isEqualTo(s3);
      assertThat(snapshotDays(primary)).hasSize(60);
    }
  }

  private static List<LocalDate> snapshotDays(Storage storage) {
    try (Repository r = repository(storage, SOURCE_PASSPHRASE).open()) {
      return r.snapshots().stream().map(s -> LocalDate.ofInstant(s.time(), ZoneOffset.UTC)).toList();
    }
  }

  private static List<LocalDate> dates(String... days) {
    return java.util.Arrays.stream(days).map(LocalDate::parse).toList();
  }
}
