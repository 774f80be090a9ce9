package dev.cairn.backup.internal.retention;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.ObjectiveViolation;
import dev.cairn.backup.ObjectiveViolation.Objective;
import dev.cairn.backup.Retention;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Proves, from a plan's configuration alone, that its schedule and retention meet its objectives: the
 * primary target is backed up at least as often as the RPO; there are three copies on at least two
 * kinds of storage with one off site; no Object Lock period is shorter than what retention keeps.
 * The RTO cannot be proven from configuration; restore drills measure it.
 */
public final class ObjectivesCheck {
  private ObjectivesCheck() {}

  /**
   * What the check needs to know about one target of a plan.
   *
   * @param name the target's name in the plan
   * @param primary whether it receives every backup (exactly one target should)
   * @param interval how often it receives a snapshot (backup or copy)
   * @param location identity of the storage place (a directory, a device, a bucket URI): two targets
   *     at one location are one copy
   * @param kind the kind of storage ({@code local}, {@code s3}, {@code sftp}, …)
   * @param offsite whether the storage is off site
   * @param retention the target's retention policy, or null when it keeps every snapshot
   * @param objectLock the Object Lock retention period of its written objects, {@link Duration#ZERO} for none
   */
  public record Target(
      String name,
      boolean primary,
      Duration interval,
      String location,
      String kind,
      boolean offsite,
      Retention retention,
      Duration objectLock) {
    public Target {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("target '" + name + "': interval must be positive, got " + interval);
      }
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(kind, "kind");
      objectLock = objectLock == null ? Duration.ZERO : objectLock;
      if (objectLock.isNegative()) {
        throw new IllegalArgumentException("target '" + name + "': objectLock must not be negative, got " + objectLock);
      }
    }
  }

  /**
   * Lists every objective the plan misses; empty when it meets them all.
   *
   * @param rpo the recovery point objective, or null when the plan sets none
   * @param targets the plan's targets
   */
  public static List<ObjectiveViolation> check(Duration rpo, List<Target> targets) {
    Objects.requireNonNull(targets, "targets");
    List<ObjectiveViolation> out = new ArrayList<>();
    checkRpo(rpo, targets, out);
    checkCopies(targets, out);
    for (Target t : targets) {
      checkObjectLock(t, out);
    }
    return List.copyOf(out);
  }

  /**
   * Like {@link #check}, but fails on the first build of a plan that misses an objective.
   *
   * @throws ConfigurationException naming every objective missed and why
   */
  public static void requireMet(Duration rpo, List<Target> targets) {
    List<ObjectiveViolation> violations = check(rpo, targets);
    if (!violations.isEmpty()) {
      throw new ConfigurationException("the plan does not meet its objectives:\n  "
          + violations.stream().map(ObjectiveViolation::toString).collect(Collectors.joining("\n  ")));
    }
  }

  private static void checkRpo(Duration rpo, List<Target> targets, List<ObjectiveViolation> out) {
    if (rpo == null) {
      return;
    }
    List<Target> primaries = targets.stream().filter(Target::primary).toList();
    if (primaries.isEmpty()) {
      out.add(new ObjectiveViolation(Objective.RPO, "",
          "RPO " + Durations.format(rpo) + ": no primary target receives the backups; add one"));
    }
    for (Target p : primaries) {
      if (p.interval().compareTo(rpo) > 0) {
        out.add(new ObjectiveViolation(Objective.RPO, p.name(),
            "RPO " + Durations.format(rpo) + ": target '" + p.name() + "' receives a backup every "
                + Durations.format(p.interval()) + ", so up to " + Durations.format(p.interval())
                + " of data can be lost; schedule backups at least every " + Durations.format(rpo)));
      }
    }
  }

  private static void checkCopies(List<Target> targets, List<ObjectiveViolation> out) {
    Set<String> locations = targets.stream().map(Target::location).collect(Collectors.toCollection(LinkedHashSet::new));
    if (locations.size() < 3) {
      out.add(new ObjectiveViolation(Objective.THREE_COPIES, "",
          "three copies: the plan keeps its backups in " + locations.size() + " place(s) " + names(targets)
              + "; add targets at other locations until there are three"));
    }
    Set<String> kinds = targets.stream().map(Target::kind).collect(Collectors.toCollection(LinkedHashSet::new));
    if (kinds.size() < 2) {
      out.add(new ObjectiveViolation(Objective.TWO_STORAGES, "",
          "two storages: every target is on " + (kinds.isEmpty() ? "no" : String.join(", ", kinds))
              + " storage; put one copy on a different kind of storage (e.g. S3 or SFTP besides local disks)"));
    }
    if (targets.stream().noneMatch(Target::offsite)) {
      out.add(new ObjectiveViolation(Objective.OFF_SITE, "",
          "one copy off site: none of " + names(targets) + " is off site; add an off-site target (e.g. copyTo an S3 bucket)"));
    }
  }

  private static void checkObjectLock(Target t, List<ObjectiveViolation> out) {
    if (t.objectLock().isZero()) {
      return;
    }
    String lock = Durations.format(t.objectLock());
    Optional<Duration> kept = t.retention() == null ? Optional.empty() : t.retention().longestKept(t.interval());
    if (kept.isEmpty()) {
      out.add(new ObjectiveViolation(Objective.OBJECT_LOCK, t.name(),
          "Object Lock: target '" + t.name() + "' locks objects for " + lock + " but its retention ("
              + (t.retention() == null ? "none: every snapshot is kept" : t.retention().toString())
              + ") keeps snapshots without limit; bound the retention, e.g. keepMonthly(12)"));
    } else if (t.objectLock().compareTo(kept.get()) < 0) {
      out.add(new ObjectiveViolation(Objective.OBJECT_LOCK, t.name(),
          "Object Lock: target '" + t.name() + "' locks objects for " + lock + " but its retention ("
              + t.retention() + ") keeps snapshots up to " + Durations.format(kept.get())
              + " old; lock for at least " + Durations.format(kept.get()) + " or keep less"));
    }
  }

  private static String names(List<Target> targets) {
    return targets.stream().map(t -> "'" + t.name() + "'").collect(Collectors.joining(", ", "[", "]"));
  }
}
