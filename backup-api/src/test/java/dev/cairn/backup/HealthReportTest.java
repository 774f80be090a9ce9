package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.HealthReport.Objective;
import dev.cairn.backup.HealthReport.Status;
import dev.cairn.backup.HealthReport.TargetState;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Duration RPO = Duration.ofHours(24);
  private static final Duration RTO = Duration.ofHours(12);
  private static int counter;

  private static Snapshot snapshot(String time, boolean complete, boolean checksPassed) {
    byte[] id = new byte[ObjectId.LENGTH];
    Arrays.fill(id, (byte) ++counter);
    List<CheckOutcome> checks = List.of(new CheckOutcome("yaml:all.yaml", checksPassed,
        checksPassed ? "" : "line 3: bad indentation", Check.OnFailure.MARK, Duration.ofMillis(5)));
    return new Snapshot(ObjectId.of(id), Instant.parse(time), "db1", "infra", List.of(), null,
        List.of(new SnapshotSource("files", "files", ObjectId.of(id), Map.of(), List.of(), 3, 300)), checks, complete);
  }

  private static DrillReport drill(String target, String started, Duration took, boolean verified) {
    Verification v = Verification.of("app.users", 10, "abc");
    VerificationResult r = verified ? VerificationResult.compare(v, 10, "abc") : VerificationResult.compare(v, 9, "abd");
    return new DrillReport("infra", target, "ab".repeat(32), Instant.parse(started), took, RTO,
        List.of(new DrillReport.SourceResult("mysql", "mysql", "scratch db", 10, 1000, took, List.of(r), "")));
  }

  @Test
  void freshSnapshotAndFastVerifiedDrillAreOk() {
    TargetState local = new TargetState("local", null,
        List.of(snapshot("2026-11-27T02:00:00Z", true, true), snapshot("2026-11-28T02:00:00Z", true, true)), null);
    HealthReport r = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(local),
        List.of(drill("local", "2026-11-20T03:00:00Z", Duration.ofHours(2), true)));
    assertThat(r.ok()).isTrue();
    HealthReport.TargetHealth t = r.target("local").orElseThrow();
    assertThat(t.newestGood().time()).isEqualTo("2026-11-28T02:00:00Z");
    assertThat(t.age()).isEqualTo(Duration.ofHours(10));
    assertThat(t.objective(Objective.RPO).orElseThrow().status()).isEqualTo(Status.OK);
    assertThat(t.objective(Objective.RTO).orElseThrow().measured()).isEqualTo(Duration.ofHours(2));
    assertThat(r.violations()).isEmpty();
    assertThat(r.toText()).contains("RPO OK").contains("RTO OK").contains("10h 0m");
  }

  @Test
  void snapshotsWithFailedChecksOrIncompleteDoNotCountAsGood() {
    TargetState local = new TargetState("local", null, List.of(
        snapshot("2026-11-26T02:00:00Z", true, true),    // 58 h old: the newest good one
        snapshot("2026-11-27T02:00:00Z", true, false),   // failed check (MARK)
        snapshot("2026-11-28T02:00:00Z", false, true)),  // incomplete
        null);
    HealthReport r = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(local),
        List.of(drill("local", "2026-11-20T03:00:00Z", Duration.ofHours(2), true)));
    HealthReport.ObjectiveResult rpo = r.target("local").orElseThrow().objective(Objective.RPO).orElseThrow();
    assertThat(rpo.status()).isEqualTo(Status.VIOLATED);
    assertThat(rpo.measured()).isEqualTo(Duration.ofHours(58));
    assertThat(rpo.message()).contains("2d 10h 0m old").contains("2026-11-26T02:00:00Z");
    assertThat(r.ok()).isFalse();
    assertThat(r.violations()).singleElement().asString().startsWith("local RPO:");
  }

  @Test
  void targetWithoutGoodSnapshotViolatesRpo() {
    HealthReport r = HealthReport.evaluate("infra", NOW, RPO, RTO,
        List.of(new TargetState("local", null, List.of(), null)),
        List.of(drill("local", "2026-11-20T03:00:00Z", Duration.ofHours(2), true)));
    assertThat(r.target("local").orElseThrow().objective(Objective.RPO).orElseThrow().message())
        .contains("has no good snapshot");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void copyTargetsAreJudgedAgainstTheirOwnFreshnessLimit() {
    Duration monthly = Duration.ofDays(31).plus(RPO);
    TargetState offsite = new TargetState("offsite", monthly,
        List.of(snapshot("2026-11-01T02:00:00Z", true, true)), Instant.parse("2026-11-01T05:00:00Z"));
    TargetState staleOffsite = new TargetState("offsite-old", monthly,
        List.of(snapshot("2026-09-01T02:00:00Z", true, true)), Instant.parse("2026-09-01T05:00:00Z"));
    HealthReport r = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(offsite, staleOffsite),
        List.of(drill("local", "2026-11-20T03:00:00Z", Duration.ofHours(2), true)));
    assertThat(r.target("offsite").orElseThrow().ok()).isTrue();
    assertThat(r.target("offsite").orElseThrow().lastCopy()).isEqualTo("2026-11-01T05:00:00Z");
    assertThat(r.target("offsite-old").orElseThrow().objective(Objective.RPO).orElseThrow().status())
        .isEqualTo(Status.VIOLATED);
    // the off-site target was never drilled: the RTO falls back to the plan's newest drill and says so
    assertThat(r.target("offsite").orElseThrow().objective(Objective.RTO).orElseThrow().message())
        .contains("drilled from target local");
  }

  @Test
  void rtoViolatedByNoDrillASlowDrillOrAFailedNewestDrill() {
    TargetState local = new TargetState("local", null, List.of(snapshot("2026-11-28T02:00:00Z", true, true)), null);
    HealthReport none = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(local), List.of());
    assertThat(none.target("local").orElseThrow().objective(Objective.RTO).orElseThrow())
        .satisfies(o -> {
          assertThat(o.status()).isEqualTo(Status.VIOLATED);
          assertThat(o.message()).contains("cairn plan drill");
        });

    HealthReport slow = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(local),
        List.of(drill("local", "2026-11-27T03:00:00Z", Duration.ofHours(13), true)));
    HealthReport.ObjectiveResult rto = slow.target("local").orElseThrow().objective(Objective.RTO).orElseThrow();
    assertThat(rto.status()).isEqualTo(Status.VIOLATED);
    assertThat(rto.measured()).isEqualTo(Duration.ofHours(13));
    assertThat(rto.message()).contains("took 13h 0m, more than the RTO of 12h 0m");

    // an older drill passed, the newest failed verification: violated
    HealthReport failed = HealthReport.evaluate("infra", NOW, RPO, RTO, List.of(local), List.of(
        drill("local", "2026-11-20T03:00:00Z", Duration.ofHours(1), true),
        drill("local", "2026-11-27T03:00:00Z", Duration.ofHours(1), false)));
    assertThat(failed.target("local").orElseThrow().objective(Objective.RTO).orElseThrow().message())
        .contains("did not verify");
    assertThat(failed.ok()).isFalse();
  }

  @Test
  void noObjectivesMeansNothingToViolate() {
    HealthReport r = HealthReport.evaluate("adhoc", NOW, null, null,
        List.of(new TargetState("local", null, List.of(), null)), List.of());
    assertThat(r.ok()).isTrue();
  }
}
