package dev.cairn.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a plan meets its objectives, per target: the age of the newest good snapshot against the
 * RPO (or the target's own freshness limit), the last copy, and the newest restore drill and its
 * duration against the RTO. Computed by the pure function {@link #evaluate}; immutable.
 *
 * <p>A snapshot is <em>good</em> when it is complete and every usability check passed
 * ({@link Snapshot#checksPassed()}). The RTO is judged on the newest drill restored from the target,
 * or, if that target was never drilled, on the plan's newest drill from any target (the message says
 * which). No drill at all, a failed newest drill, or one slower than the RTO is a violation.
 *
 * @param plan the plan's name
 * @param time when the health was evaluated
 * @param rpo the recovery point objective, or {@code null} if the plan has none (then always OK)
 * @param rto the recovery time objective, or {@code null} if the plan has none (then always OK)
 * @param targets one entry per target, in plan order
 */
public record HealthReport(String plan, Instant time, Duration rpo, Duration rto, List<TargetHealth> targets) {

  /** Checks the values and copies the lists. */

  public HealthReport {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(time, "time");
    targets = List.copyOf(targets);
  }

  /** An objective of a plan. */
  public enum Objective {
    /** Recovery point objective: how old the newest good snapshot may be. */
    RPO,
    /** Recovery time objective: how long a verified restore may take. */
    RTO
  }

  /** Whether an objective is met. */
  public enum Status {
    /** The objective is met. */
    OK,
    /** The objective is missed; the message says why. */
    VIOLATED
  }

  /**
   * One objective of one target.
   *
   * @param objective which
   * @param status met or not
   * @param limit the limit that applied, or {@code null} if none was set
   * @param measured the measured age or duration, or {@code null} if nothing could be measured
   * @param message what was measured against what, and the fix when violated
   */
  public record ObjectiveResult(Objective objective, Status status, Duration limit, Duration measured, String message) {
    /** Checks the values and copies the lists. */
    public ObjectiveResult {
      Objects.requireNonNull(objective, "objective");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The health of one target.
   *
   * @param target the target's name
   * @param newestGood the newest good snapshot in the target, or {@code null} if it has none
   * @param age how old that snapshot is, or {@code null}
   * @param lastCopy the time of the newest copy the target holds (the backup time of the snapshot copied
   *     there), or {@code null} if none (or it is the primary)
   * @param lastDrill the drill the RTO was judged on, or {@code null} if none
   * @param objectives RPO and RTO results
   */
  public record TargetHealth(String target, Snapshot newestGood, Duration age, Instant lastCopy,
      DrillReport lastDrill, List<ObjectiveResult> objectives) {
    /** Checks the values and copies the lists. */
    public TargetHealth {
      Objects.requireNonNull(target, "target");
      objectives = List.copyOf(objectives);
    }

    /** True when every objective is met. */
    public boolean ok() {
      return objectives.stream().allMatch(o -> o.status() == Status.OK);
    }

    /** The result for {@code objective}. */
    public Optional<ObjectiveResult> objective(Objective objective) {
      return objectives.stream().filter(o -> o.objective() == objective).findFirst();
    }
  }

  /**
   * What is known about one target, the input to {@link #evaluate}.
   *
   * @param name the target's name
   * @param maxAge how old its newest good snapshot may be; {@code null} means the plan's RPO (the
   *     primary); copy targets use their copy period plus the RPO
   * @param snapshots the snapshots the target holds (any order)
   * @param lastCopy when it last received a copy, or {@code null}
   */
  public record TargetState(String name, Duration maxAge, List<Snapshot> snapshots, Instant lastCopy) {
    /** Checks the values and copies the lists. */
    public TargetState {
      Objects.requireNonNull(name, "name");
      snapshots = List.copyOf(snapshots);
    }
  }

  /**
   * Evaluates a plan's health. Pure: no I/O, the same input gives the same report.
   *
   * @param plan the plan's name
   * @param now the time to measure ages against
   * @param rpo the plan's RPO, or {@code null}
   * @param rto the plan's RTO, or {@code null}
   * @param targets what each target holds
   * @param drills drill reports, any order, from any target
   */
  public static HealthReport evaluate(String plan, Instant now, Duration rpo, Duration rto,
      List<TargetState> targets, List<DrillReport> drills) {
    Comparator<DrillReport> byStart = Comparator.comparing(DrillReport::started);
    // another plan's drill (reports may share a directory) proves nothing about this one
    List<DrillReport> ours = drills.stream().filter(d -> d.plan() == null || d.plan().isEmpty()
        || d.plan().equals(plan)).toList();
    Optional<DrillReport> newestAny = ours.stream().max(byStart);
    List<TargetHealth> out = new ArrayList<>();
    for (TargetState t : targets) {
      // a snapshot dated after now (a clock that was wrong) would make every later day look covered
      Snapshot newest = t.snapshots().stream()
          .filter(s -> s.complete() && s.checksPassed() && !s.time().isAfter(now))
          .max(Comparator.comparing(Snapshot::time))
          .orElse(null);
      Duration age = newest == null ? null : Duration.between(newest.time(), now);
      Duration limit = t.maxAge() != null ? t.maxAge() : rpo;
      ObjectiveResult rpoResult = rpoResult(t, newest, age, limit);
      DrillReport drill = ours.stream().filter(d -> d.target().equals(t.name())).max(byStart)
          .orElse(newestAny.orElse(null));
      out.add(new TargetHealth(t.name(), newest, age, t.lastCopy(), drill,
          List.of(rpoResult, rtoResult(t.name(), drill, rto))));
    }
    return new HealthReport(plan, now, rpo, rto, out);
  }

  private static ObjectiveResult rpoResult(TargetState t, Snapshot newest, Duration age, Duration limit) {
    if (limit == null) {
      return new ObjectiveResult(Objective.RPO, Status.OK, null, age, "no RPO set");
    }
    if (newest == null) {
      long bad = t.snapshots().size();
      return new ObjectiveResult(Objective.RPO, Status.VIOLATED, limit, null, "target " + t.name()
          + " has no good snapshot" + (bad == 0 ? "" : " (" + bad + " snapshot(s) incomplete or with failed checks)")
          + ": run a backup (cairn plan run) and fix what its checks report");
    }
    if (age.compareTo(limit) > 0) {
      return new ObjectiveResult(Objective.RPO, Status.VIOLATED, limit, age, "newest good snapshot in "
          + t.name() + " is " + human(age) + " old (" + newest.time() + "), more than the allowed "
          + human(limit) + ": check that scheduled backups/copies run and succeed");
    }
    return new ObjectiveResult(Objective.RPO, Status.OK, limit, age, "newest good snapshot is " + human(age)
        + " old, within " + human(limit));
  }

  private static ObjectiveResult rtoResult(String target, DrillReport drill, Duration rto) {
    if (rto == null) {
      return new ObjectiveResult(Objective.RTO, Status.OK, null, drill == null ? null : drill.duration(),
          "no RTO set");
    }
    if (drill == null) {
      return new ObjectiveResult(Objective.RTO, Status.VIOLATED, rto, null,
          "no restore drill on record: run cairn plan drill to measure the restore time");
    }
    String from = drill.target().equals(target) ? "" : " (drilled from target " + drill.target() + ")";
    if (!drill.passed()) {
      return new ObjectiveResult(Objective.RTO, Status.VIOLATED, rto, drill.duration(), "newest restore drill at "
          + drill.started() + from + " did not verify: read its report and fix the restore before relying on it");
    }
    if (drill.duration().compareTo(rto) > 0) {
      return new ObjectiveResult(Objective.RTO, Status.VIOLATED, rto, drill.duration(), "newest restore drill at "
          + drill.started() + from + " took " + human(drill.duration()) + ", more than the RTO of " + human(rto)
          + ": restore faster (parallel loads, a nearer copy) or agree a longer RTO");
    }
    return new ObjectiveResult(Objective.RTO, Status.OK, rto, drill.duration(), "verified restore drill at "
        + drill.started() + from + " took " + human(drill.duration()) + ", within " + human(rto));
  }

  /** True when every objective of every target is met. */
  public boolean ok() {
    return targets.stream().allMatch(TargetHealth::ok);
  }

  /** The health of target {@code name}. */
  public Optional<TargetHealth> target(String name) {
    return targets.stream().filter(t -> t.target().equals(name)).findFirst();
  }

  /** One line per violated objective, {@code target RPO: message}; empty when all is well. */
  public List<String> violations() {
    List<String> v = new ArrayList<>();
    for (TargetHealth t : targets) {
      for (ObjectiveResult o : t.objectives()) {
        if (o.status() == Status.VIOLATED) {
          v.add(t.target() + " " + o.objective() + ": " + o.message());
        }
      }
    }
    return v;
  }

  /** A human-readable report, one block per target, as {@code cairn plan status} prints it. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("plan ").append(plan).append(" at ").append(time).append(": ")
        .append(ok() ? "OK" : "OBJECTIVES MISSED").append('\n');
    for (TargetHealth t : targets) {
      sb.append("  target ").append(t.target()).append('\n');
      sb.append("    newest good snapshot: ")
          .append(t.newestGood() == null ? "none" : t.newestGood().id().shortHex()
              + " at " + t.newestGood().time() + " (" + human(t.age()) + " ago)")
          .append('\n');
      sb.append("    last copy: ").append(t.lastCopy() == null ? "-" : t.lastCopy().toString()).append('\n');
      sb.append("    last drill: ").append(t.lastDrill() == null ? "none"
          : t.lastDrill().started() + " from " + t.lastDrill().target() + ", " + human(t.lastDrill().duration())
              + (t.lastDrill().passed() ? ", verified" : ", FAILED")).append('\n');
      for (ObjectiveResult o : t.objectives()) {
        sb.append("    ").append(o.objective()).append(' ').append(o.status()).append(": ")
            .append(o.message()).append('\n');
      }
    }
    return sb.toString();
  }

  /** A duration as {@code 1d 2h 3m 4s} (seconds only under an hour). */
  static String human(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.getSeconds();
    String sign = s < 0 ? "-" : "";
    s = Math.abs(s);
    long days = s / 86400;
    long hours = s % 86400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    StringBuilder sb = new StringBuilder(sign);
    if (days > 0) {
      sb.append(days).append("d ");
    }
    if (days > 0 || hours > 0) {
      sb.append(hours).append("h ");
    }
    sb.append(minutes).append("m");
    if (days == 0 && hours == 0) {
      sb.append(' ').append(seconds).append('s');
    }
    return sb.toString();
  }
}
