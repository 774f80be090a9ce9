package dev.cairn.backup.plan;

import dev.cairn.backup.HealthReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer gauges for a plan's health, for applications that have Micrometer on the class path
 * (this module's Micrometer dependency is optional). Call {@link #update(HealthReport)} after each
 * backup or drill (or on a timer with {@code plan.health()}); the gauges read the latest report.
 *
 * <p>Gauges, each tagged {@code plan} and {@code target}:
 * <ul>
 *   <li>{@code cairn.snapshot.age} (seconds): age of the newest good snapshot; NaN if none
 *   <li>{@code cairn.snapshot.last.time} (seconds since the epoch): time of the newest good snapshot
 *   <li>{@code cairn.snapshot.bytes}: content bytes of the newest good snapshot
 *   <li>{@code cairn.objective.ok} (1 or 0), also tagged {@code objective} = {@code RPO} or {@code RTO}
 *   <li>{@code cairn.drill.duration} (seconds): duration of the drill the RTO was judged on
 * </ul>
 * Thread-safe.
 */
public final class PlanMetrics implements MeterBinder {
  private final List<String> targets;
  private final String plan;
  private final AtomicReference<HealthReport> latest;

  /**
   * Metrics for plan {@code plan} with targets {@code targets}.
   *
   * @param initial the first report to show (e.g. {@code plan.health()})
   */
  public PlanMetrics(HealthReport initial) {
    Objects.requireNonNull(initial, "initial");
    this.plan = initial.plan();
    this.targets = initial.targets().stream().map(HealthReport.TargetHealth::target).toList();
    this.latest = new AtomicReference<>(initial);
  }

  /** Shows {@code report} from now on; it must be of the same plan. */
  public void update(HealthReport report) {
    if (!report.plan().equals(plan)) {
      throw new IllegalArgumentException("report of plan '" + report.plan() + "' given to the metrics of plan '"
          + plan + "'");
    }
    latest.set(report);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String target : targets) {
      gauge(registry, "cairn.snapshot.age", "seconds", "age of the newest good snapshot", target,
          t -> t.age() == null ? Double.NaN : seconds(t.age()));
      gauge(registry, "cairn.snapshot.last.time", "seconds", "time of the newest good snapshot", target,
          t -> t.newestGood() == null ? Double.NaN : epochSeconds(t.newestGood().time()));
      gauge(registry, "cairn.snapshot.bytes", "bytes", "content bytes of the newest good snapshot", target,
          t -> t.newestGood() == null ? Double.NaN : t.newestGood().bytes());
      gauge(registry, "cairn.drill.duration", "seconds", "duration of the newest restore drill", target,
          t -> t.lastDrill() == null ? Double.NaN : seconds(t.lastDrill().duration()));
      for (HealthReport.Objective objective : HealthReport.Objective.values()) {
        Gauge.builder("cairn.objective.ok", latest, r -> r.get().target(target)
                .flatMap(t -> t.objective(objective))
                .map(o -> o.status() == HealthReport.Status.OK ? 1.0 : 0.0).orElse(Double.NaN))
            .description("1 when the objective is met, 0 when violated")
            .tags("plan", plan, "target", target, "objective", objective.name())
            .register(registry);
      }
    }
  }

  private void gauge(MeterRegistry registry, String name, String unit, String description, String target,
      ToDoubleFunction<HealthReport.TargetHealth> value) {
    Gauge.builder(name, latest, r -> r.get().target(target).map(value::applyAsDouble).orElse(Double.NaN))
        .description(description).baseUnit(unit).tags("plan", plan, "target", target).register(registry);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static double epochSeconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }
}
