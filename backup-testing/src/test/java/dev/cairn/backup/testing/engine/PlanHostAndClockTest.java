package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Rotation;
import dev.cairn.backup.Schedule;
import dev.cairn.backup.Target;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.InMemoryStorage;
import dev.cairn.backup.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan against a clock that was wrong once (a future-dated copy must not stop the next ones), and a plan
 * file shared by hosts (another host's snapshots must not cover this host's RPO).
 */
class PlanHostAndClockTest {
  @TempDir Path tmp;

  private BackupPlan plan(String host, Path data, Storage primary, Storage offsite, MutableClock clock) {
    BackupPlan.Builder b = BackupPlan.builder().name("infra").host(host).source(FileSource.of(data))
        .encryption(Encryption.passphrase(() -> TestRepos.PASSPHRASE)).clock(clock)
        .primary(Target.of("local", primary))
        .schedule(Schedule.daily().withZone(ZoneOffset.UTC))
        .objectives(Duration.ofHours(24), null)
        .objectivesPolicy(BackupPlan.ObjectivesPolicy.WARN);
    if (offsite != null) {
      b.copyTo(Target.of("offsite", offsite), Schedule.weekly().withZone(ZoneOffset.UTC));
    }
    return b.build();
  }

  /**
   * One backup runs while the host clock is a year ahead (RTC battery, bad NTP server); the clock is
   * then fixed. Its snapshot was copied to the weekly off-site target, and from then on no weekly copy
   * would be due for a year (the schedule's next firing after that future time), had the copy's time
   * been taken at face value: the weekly copies go on.
   */
  @Test
  void aFutureDatedCopySilencesTheWeeklyCopyForAYear() throws Exception {
    Storage primary = new InMemoryStorage();
    Storage offsite = new InMemoryStorage();
    try (Repository p = TestRepos.init(primary)) {
      TestRepos.builder(offsite).chunkingFrom(p).init().close();
    }
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a");
    MutableClock clock = MutableClock.at("2026-01-01T02:00:00Z");
    BackupPlan plan = plan("h1", data, primary, offsite, clock);

    clock.set(Instant.parse("2027-01-01T02:00:00Z")); // skewed a year ahead
    assertThat(plan.backup().copies()).hasSize(1);
    clock.set(Instant.parse("2026-01-02T02:00:00Z")); // NTP fixed it

    int copies = 0;
    int failures = 0;
    for (int day = 0; day < 21; day++) {
      Files.writeString(data.resolve("a.txt"), "day " + day);
      BackupReport r = plan.backup();
      copies += r.copies().stream().filter(c -> c.succeeded()).count();
      failures += r.copies().stream().filter(c -> !c.succeeded()).count();
      clock.advance(Duration.ofDays(1));
    }
    assertThat(copies + failures).as("three weekly copies due in three weeks: made or reported failed").isGreaterThanOrEqualTo(3);
  }

  /**
   * The same plan file runs on two hosts backing up into one shared repository. Host b's backups have
   * failed for five days: host a's snapshots must not make host b's health OK.
   */
  @Test
  void anotherHostsSnapshotsHideThisHostsMissedRpo() throws Exception {
    Storage primary = new InMemoryStorage();
    TestRepos.init(primary).close();
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a");
    MutableClock clock = MutableClock.at("2026-01-01T02:00:00Z");
    BackupPlan a = plan("host-a", data, primary, null, clock);
    BackupPlan b = plan("host-b", data, primary, null, clock);
    b.backup();
    for (int day = 0; day < 5; day++) {
      clock.advance(Duration.ofDays(1));
      a.backup(); // host b's backups fail from now on
    }
    HealthReport h = b.health();
    assertThat(h.ok()).as("host-b's newest backup is 5 days old, RPO 24h").isFalse();
  }
}
