package dev.cairn.backup.plan;

import dev.cairn.backup.HealthReport;
import dev.cairn.backup.HealthReport.ObjectiveResult;
import dev.cairn.backup.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether each drive of a rotating copy target gets its turns. The rotation as a whole can look fresh
 * while one drive has stopped receiving copies (a blank replacement without a repository, a drive left
 * in a drawer): the copy goes to the next drive, and the plan keeps one on-site copy instead of two.
 *
 * <p>The staleness rule gives each of {@code n} present drives one of every {@code n} copies, so a
 * drive's newest copy is at most {@code n} schedule periods old; one missed turn (a drive kept at home
 * for a week) adds one. A drive that can be read is judged to have missed its turns when its newest copy
 * is older than {@code n + 1} periods plus the RPO; one without copies, when its repository is that old
 * (a new drive waits for its first turn). A drive that cannot be read now (rotating drives are unplugged
 * between their turns) is judged the same way on what the plan last saw on it ({@link DriveRecords}), or
 * not at all when there is no such record.
 */
final class RotationHealth {
  private RotationHealth() {}

  /**
   * A drive as read for the health check: its snapshots of the plan and when its repository was created
   * (its oldest key), or why it cannot be read and what the plan last saw on it ({@code lastSeen}, null
   * when there is no record).
   */
  record Drive(String name, String location, List<Snapshot> snapshots, Instant created, String unreadable,
      DriveRecords.Seen lastSeen) {
    Drive {
      snapshots = List.copyOf(snapshots);
    }

    /** A drive without a record of an earlier sighting. */
    Drive(String name, String location, List<Snapshot> snapshots, Instant created, String unreadable) {
      this(name, location, snapshots, created, unreadable, null);
    }
  }

  /**
   * One row per drive, after the rotation's own row {@code rotation}, whose RTO result and drill the
   * drives share. {@code limit} is how old a drive's newest copy may be: {@code n + 1} times the
   * schedule's longest gap plus the RPO for {@code n} drives, or null (no RPO) to report without judging.
   * {@code noRecord} says why an unreadable drive without a record has none.
   */
  static List<HealthReport.TargetHealth> drives(String target, List<Drive> drives, Instant now,
      HealthReport.TargetHealth rotation, Duration limit, String noRecord) {
    List<HealthReport.TargetHealth> out = new ArrayList<>();
    for (Drive d : drives) {
      Snapshot newest = d.snapshots().stream().filter(s -> s.complete() && s.checksPassed() && !s.time().isAfter(now))
          .max(Comparator.comparing(Snapshot::time)).orElse(null);
      Instant newestAny = newestTime(d.snapshots(), now).orElse(null);
      Duration age = newest == null ? null : Duration.between(newest.time(), now);
      String where = target + "'s drive " + d.name() + " (" + d.location() + ")";
      String refresh = "; while it stays plugged in it gets the next copy that is due ('cairn copy --to "
          + d.location() + " latest' refreshes it now)";
      ObjectiveResult rpo;
      if (limit == null) {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.OK, null, age, "no RPO set");
      } else if (d.unreadable() != null && d.lastSeen() == null) {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.OK, limit, null, "cannot be "
            + "read now (" + d.unreadable() + "); not judged: a rotating drive is unplugged between its turns, and "
            + noRecord);
      } else if (d.unreadable() != null) {
        DriveRecords.Seen seen = d.lastSeen();
        Duration old = Duration.between(seen.newestCopy(), now);
        String when = "when last read, at " + seen.seen() + ", its newest copy was from " + seen.newestCopy()
            + ", now " + days(old) + " old";
        boolean overdue = old.compareTo(limit) > 0;
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, overdue ? HealthReport.Status.VIOLATED
            : HealthReport.Status.OK, limit, old, overdue
                ? where + " cannot be read now (" + d.unreadable() + ") and has missed its turns: " + when
                    + ", more than the " + days(limit) + " its share of the copies allows; plug it in for its turn"
                    + " ('cairn copy --to " + d.location() + " latest' refreshes it now)"
                : "cannot be read now (" + d.unreadable() + "); " + when + ", within " + days(limit));
      } else if (newestAny == null) {
        Duration waiting = d.created() == null ? null : Duration.between(d.created(), now);
        boolean overdue = waiting == null || waiting.compareTo(limit) > 0;
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, overdue ? HealthReport.Status.VIOLATED
            : HealthReport.Status.OK, limit, null, overdue
                ? where + " holds no copy" + (waiting == null ? "" : " although its repository is "
                    + days(waiting) + " old") + ": it has missed its turns" + refresh
                : "holds no copy yet: its repository is " + days(waiting) + " old, within " + days(limit)
                    + "; it gets the next copy that is due");
      } else if (Duration.between(newestAny, now).compareTo(limit) > 0) {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.VIOLATED, limit, age, where
            + " has missed its turns: its newest copy is " + days(Duration.between(newestAny, now)) + " old ("
            + newestAny + "), more than the " + days(limit) + " its share of the copies allows" + refresh);
      } else if (newest == null) {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.VIOLATED, limit, null, where
            + " holds no good snapshot (" + d.snapshots().size() + " incomplete or with failed checks)");
      } else {
        rpo = new ObjectiveResult(HealthReport.Objective.RPO, HealthReport.Status.OK, limit, age, "newest copy is "
            + days(age) + " old, within " + days(limit));
      }
      List<ObjectiveResult> objectives = new ArrayList<>();
      objectives.add(rpo);
      rotation.objective(HealthReport.Objective.RTO).ifPresent(objectives::add);
      out.add(new HealthReport.TargetHealth(d.name(), newest, age, newestAny, rotation.lastDrill(), objectives));
    }
    return out;
  }

  /**
   * The time of the newest of {@code snapshots} not dated after {@code now} (a snapshot from a clock
   * that was ahead would make every later day look covered).
   */
  static Optional<Instant> newestTime(List<Snapshot> snapshots, Instant now) {
    return snapshots.stream().map(Snapshot::time).filter(t -> !t.isAfter(now)).max(Comparator.naturalOrder());
  }

  /** {@code 3d 4h} (hours below a day). */
  private static String days(Duration d) {
    return d.toDays() > 0 ? d.toDays() + "d " + d.toHoursPart() + "h" : d.toHours() + "h " + d.toMinutesPart() + "m";
  }
}
