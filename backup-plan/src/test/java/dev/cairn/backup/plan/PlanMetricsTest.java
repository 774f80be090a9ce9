package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Check;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanMetricsTest {
  private static HealthReport health(String now, String snapshotTime) {
    ObjectId id = ObjectId.of(new byte[ObjectId.LENGTH]);
    List<Snapshot> snaps = snapshotTime == null ? List.of() : List.of(new Snapshot(id, Instant.parse(snapshotTime),
        "db1", "infra", List.of(), null, List.of(new SnapshotSource("files", "files", id, Map.of(), List.of(), 2, 4096)),
        List.of(new CheckOutcome("yaml", true, "", Check.OnFailure.ABORT, Duration.ZERO)), true));
    return HealthReport.evaluate("infra", Instant.parse(now), Duration.ofHours(24), Duration.ofHours(12),
        List.of(new HealthReport.TargetState("local", null, snaps, null)), List.of());
  }

  @Test
  void gaugesFollowTheLatestHealthReport() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PlanMetrics metrics = new PlanMetrics(health("2026-11-28T12:00:00Z", null));
    metrics.bindTo(registry);
    assertThat(registry.get("cairn.snapshot.age").tag("target", "local").gauge().value()).isNaN();
    assertThat(registry.get("cairn.objective.ok").tag("objective", "RPO").gauge().value()).isZero();

    metrics.update(health("2026-11-28T12:00:00Z", "2026-11-28T02:00:00Z"));
    assertThat(registry.get("cairn.snapshot.age").tag("plan", "infra").gauge().value()).isEqualTo(36000.0);
    assertThat(registry.get("cairn.snapshot.bytes").gauge().value()).isEqualTo(4096.0);
    assertThat(registry.get("cairn.snapshot.last.time").gauge().value())
        .isEqualTo(Instant.parse("2026-11-28T02:00:00Z").getEpochSecond());
    assertThat(registry.get("cairn.objective.ok").tag("objective", "RPO").gauge().value()).isEqualTo(1.0);
    // no drill yet: the RTO is not proven
    assertThat(registry.get("cairn.objective.ok").tag("objective", "RTO").gauge().value()).isZero();
    assertThat(registry.get("cairn.drill.duration").gauge().value()).isNaN();
  }
}
