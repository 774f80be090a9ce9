package dev.cairn.backup.plan;

import dev.cairn.backup.HealthReport;
import dev.cairn.backup.HealthReport.ObjectiveResult;
import dev.cairn.backup.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether each drive of a rotating copy target gets its turns. The rotation as a whole can look fresh
 * while one drive has stopped receiving copies (a blank replacement without a repository, a drive left
 * in a drawer): the copy goes to the next drive, and the plan keeps one on-site copy instead of two.
 *
 * <p>The staleness rule gives each of {@code n} present drives one of every {@code n} copies. A drive
 * that can be read is judged to have missed its turns when more than {@code n} of the copies on the
 * other drives are newer than its own newest: one missed turn (a drive kept at home for a week) is
 * normal, two are not. Copies on drives that cannot be read now only add to that count, so the rule
 * never blames a drive wrongly. A drive that cannot be read now is not judged: rotating drives are
 * unplugged between their turns, and what it holds is unknown until it is plugged in again.
 */
final class RotationHealth {
  private RotationHealth() {}

  /** A drive as read for the health check: its snapshots of the plan, or why it cannot be read. */
  record Drive(String name, String location, List<Snapshot> snapshots, String unreadable) {
    Drive {
      snapshots = List.copyOf(snapshots);
    }
  }

  /**
   * One row per drive, after the rotation's own row {@code rotation}, whose RTO result and drill the
   * drives share; {@code judged} false (the plan has no RPO) reports them without judging.
   */
  static List<HealthReport.TargetHealth> drives(String target, List<Drive> drives, Instant now,
      HealthReport.TargetHealth rotation, boolean judged) {
    int n = drives.size();
    List<HealthReport.TargetHealth> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Drive d = drives.get(i);
      List<Instant> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i && drives.get(j).unreadable() == null) {
          drives.get(j).snapshots().stream().map(Snapshot::time).filter(t -> !t.isAfter(now)).forEach(others::add);
        }
      }
      others.sort(Comparator.reverseOrder());
      Snapshot newest = d.snapshots().stream().filter(s -> s.complete() && s.checksPassed() && !s.time().isAfter(now))
          .max(Comparator.comparing(Snapshot::time)).orElse(null);
      Instant newestAny = d.snapshots().stream().map(Snapshot::time).filter(t -> !t.isAfter(now))
          .max(Comparator.naturalOrder()).orElse(null);
      Duration age = newest == null ? null : Duration.between(newest.time(), now);
      String where = target + "'s drive " + d.name() + " (" + d.location() + ")";
      ObjectiveResult rpo;
      if (!judged) {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.OK, null, age, "no RPO set");
      } else if (d.unreadable() == null) {
        long since = others.stream().filter(t -> newestAny == null || t.isAfter(newestAny)).count();
        if (since > n) {
          rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.VIOLATED, null, age, where
              + " has missed its turns: the last " + since + " copies went to the other drives"
              + (newestAny == null ? " and it holds none" : ", its newest is from " + newestAny)
              + "; while it stays plugged in it gets the next copy that is due ('cairn copy --to " + d.location()
              + " latest' refreshes it now)");
        } else if (newest == null && newestAny != null) {
          rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.VIOLATED, null, null, where
              + " holds no good snapshot (" + d.snapshots().size() + " incomplete or with failed checks)");
        } else {
          rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.OK, null, age, since
              + " of the rotation's copies went to the other drives since its newest (" + (n + 1) + " would be "
              + "too many)");
        }
      } else {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.OK, null, null, "cannot be "
            + "read now (" + d.unreadable() + "); not judged: a rotating drive is unplugged between its turns, and "
            + "the plan keeps no record of its copies elsewhere");
      }
      List<ObjectiveResult> objectives = new ArrayList<>();
      objectives.add(rpo);
      rotation.objective(HealthReport.Objective.RTO).ifPresent(objectives::add);
      out.add(new HealthReport.TargetHealth(d.name(), newest, age, null, rotation.lastDrill(), objectives));
    }
    return out;
  }
}
