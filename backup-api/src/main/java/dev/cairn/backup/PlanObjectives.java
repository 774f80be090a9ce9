package dev.cairn.backup;

import dev.cairn.backup.internal.retention.Durations;
import dev.cairn.backup.internal.retention.ObjectivesCheck;
import dev.cairn.backup.spi.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns a plan's configuration into the {@link ObjectivesCheck} inputs, and adds the checks only a plan can make. */
final class PlanObjectives {
  private PlanObjectives() {}

  /**
   * Every objective the configuration cannot meet.
   *
   * @param schedule when backups run, or null if the plan has no schedule
   * @param drillable the sources with a drill restorer
   * @param now the start of the year over which schedules' longest gaps are measured
   */
  static List<ObjectiveViolation> check(List<Source> sources, Target primary, Schedule schedule,
      List<PlanCopies.CopyTarget> copies, Duration rpo, Duration rto, Set<String> drillable, Instant now) {
    List<ObjectiveViolation> out = new ArrayList<>();
    Duration interval;
    if (schedule != null) {
      interval = schedule.longestGap(now);
    } else {
      if (rpo != null) {
        out.add(new ObjectiveViolation(ObjectiveViolation.Objective.RPO, primary.name(), "RPO "
            + Durations.format(rpo) + ": the plan has no backup schedule, so nothing shows backups run that often;"
            + " set schedule(...) on the builder (in a plan file, the primary target's schedule)"));
      }
      // without a schedule, judge Object Lock as if a backup ran once a day
      interval = Duration.ofDays(1);
    }
    List<ObjectivesCheck.Target> targets = new ArrayList<>();
    targets.add(checked(primary, true, interval));
    for (PlanCopies.CopyTarget c : copies) {
      // each drive of a rotation receives every n-th copy
      Duration gap = c.schedule().longestGap(now).multipliedBy(c.rotation().drives().size());
      for (Target drive : c.rotation().drives()) {
        targets.add(checked(drive, false, gap));
      }
    }
    out.addAll(ObjectivesCheck.check(schedule == null ? null : rpo, targets));
    if (rto != null) {
      for (Source s : sources) {
        boolean asFiles = s.type().equals("files") || s.type().equals("stream");
        if (!asFiles && !drillable.contains(s.name())) {
          out.add(new ObjectiveViolation(ObjectiveViolation.Objective.RTO, "", "RTO " + Durations.format(rto)
              + ": source '" + s.name() + "' (type " + s.type() + ") has no drill restorer, so restore drills"
              + " cannot measure how long restoring it takes; add drillRestorer(\"" + s.name() + "\", ...) (plan"
              + " files get one from the type's module)"));
        }
      }
    }
    return out;
  }

  private static ObjectivesCheck.Target checked(Target t, boolean primary, Duration interval) {
    return new ObjectivesCheck.Target(t.name(), primary, interval, t.storage().location(), t.kind(), t.offsite(),
        t.retention(), t.objectLock());
  }
}
