package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.HealthReport.TargetState;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health against a wrong clock and drill reports of other plans in a shared directory. */
class HealthEdgesTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration RPO = Duration.ofHours(24);
  private static final Duration RTO = Duration.ofHours(12);
  private static int counter;

  private static Snapshot snapshot(String time, String plan) {
    byte[] id = new byte[ObjectId.LENGTH];
    Arrays.fill(id, (byte) ++counter);
    return new Snapshot(ObjectId.of(id), Instant.parse(time), "db1", plan, List.of(), null,
        List.of(new SnapshotSource("files", "files", ObjectId.of(id), Map.of(), List.of(), 3, 300)), List.of(), true);
  }

  private static DrillReport drill(String plan, String target, String started, boolean verified) {
    Verification v = Verification.of("app.users", 10, "abc");
    VerificationResult r = verified ? VerificationResult.compare(v, 10, "abc") : VerificationResult.compare(v, 9, "abd");
    return new DrillReport(plan, target, "ab".repeat(32), Instant.parse(started), Duration.ofHours(1), RTO,
        List.of(new DrillReport.SourceResult("mysql", "mysql", "scratch db", 10, 1000, Duration.ofHours(1), List.of(r), "")));
  }

  /**
   * One snapshot was written while the host clock was a year ahead (RTC reset, bad NTP), then backups
   * stopped. The newest good snapshot is "in the future", its age negative, and the RPO reads OK for a
   * year although the last real backup is 10 days old.
   */
  @Test
  void futureDatedSnapshotHidesAMissedRpo() {
    TargetState local = new TargetState("local", null, List.of(
        snapshot("2026-11-18T02:00:00Z", "infra"),   // last real backup, 10 days ago
        snapshot("2027-11-18T02:00:00Z", "infra")),  // written with the clock a year ahead
        null);
    HealthReport r = HealthReport.evaluate("infra", NOW, RPO, null, List.of(local), List.of());
    assertThat(r.ok()).as("RPO must not be OK: the newest real backup is 10 days old").isFalse();
  }

  /** Drill reports are not filtered by plan: another plan's passed drill satisfies this plan's RTO. */
  @Test
  void anotherPlansDrillSatisfiesThisPlansRto() {
    TargetState local = new TargetState("local", null, List.of(snapshot("2026-11-28T02:00:00Z", "infra")), null);
    HealthReport r = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(local),
        List.of(drill("infra", "local", "2026-11-27T03:00:00Z", false), drill("web", "local", "2026-11-27T05:00:00Z", true)));
    assertThat(r.ok()).as("infra's own newest drill failed; web's drill must not make infra OK").isFalse();
  }
}
