package dev.cairn.backup.internal.retention;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Retention;
import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.RetentionPlan.Decision;
import dev.cairn.backup.RetentionPlan.Group;
import dev.cairn.backup.RetentionPlan.GroupKey;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies a {@link Retention} policy: restic's {@code ApplyPolicy} algorithm per group, newest first,
 * each rule keeping the newest snapshot of each new period until its count is used up.
 */
public final class RetentionEvaluator {
  /** Newest first; equal times ordered by id so the result does not depend on the input order. */
  private static final Comparator<Snapshot> NEWEST_FIRST =
      Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id).reversed();

  private RetentionEvaluator() {}

  /** See {@link Retention#apply(List, Instant)}. */
  public static RetentionPlan apply(Retention policy, List<Snapshot> snapshots, Instant now) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(snapshots, "snapshots");
    Objects.requireNonNull(now, "now");
    if (policy.isEmpty() && !policy.removeAllAllowed()) {
      throw new ConfigurationException("the retention policy has no keep rule, so it would remove every snapshot;"
          + " add a rule such as keepDaily(7), or call allowRemoveAll() if removing everything is intended");
    }
    List<Snapshot> sorted = new ArrayList<>(snapshots);
    sorted.sort(NEWEST_FIRST);
    Map<GroupKey, List<Snapshot>> groups = new LinkedHashMap<>();
    for (Snapshot s : sorted) {
      groups.computeIfAbsent(keyOf(policy, s), k -> new ArrayList<>()).add(s);
    }
    List<Group> result = new ArrayList<>();
    for (Map.Entry<GroupKey, List<Snapshot>> e : groups.entrySet()) {
      Group g = new Group(e.getKey(), evaluate(policy, e.getValue(), now));
      // a snapshot dated in the future (a clock that was wrong) is always kept, but it is no real backup:
      // a policy keeping only that would still remove every real one
      boolean keepsARealOne = g.keep().stream().anyMatch(s -> !s.time().isAfter(now));
      boolean hasARealOne = g.decisions().stream().anyMatch(d -> !d.snapshot().time().isAfter(now));
      if (!keepsARealOne && hasARealOne && !policy.removeAllAllowed()) {
        throw new ConfigurationException("the retention policy (" + policy + ") would remove all "
            + g.decisions().stream().filter(d -> !d.snapshot().time().isAfter(now)).count()
            + " snapshots of the group " + e.getKey().describe()
            + (g.keep().isEmpty() ? "" : " (it keeps only " + g.keep().size() + " dated in the future)")
            + "; add a rule that keeps some of them, or call allowRemoveAll() if that is intended");
      }
      result.add(g);
    }
    return new RetentionPlan(policy, now, result);
  }

  static GroupKey keyOf(Retention policy, Snapshot s) {
    return new GroupKey(
        policy.grouping().contains(Retention.GroupBy.HOST) ? s.host() : null,
        policy.grouping().contains(Retention.GroupBy.PLAN) ? s.plan() : null,
        policy.grouping().contains(Retention.GroupBy.SOURCE)
            ? s.sources().stream().map(SnapshotSource::name).distinct().sorted().toList()
            : null,
        policy.grouping().contains(Retention.GroupBy.TAGS) ? s.tags().stream().distinct().sorted().toList() : null);
  }

  /** A counting rule (keep-last or keep-PERIOD) and its running state. */
  private static final class CountRule {
    final String name;
    final Period period; // null for keep-last
    final int count;
    int used;
    Long lastKey;

    CountRule(String name, Period period, int count) {
      this.name = name;
      this.period = period;
      this.count = count;
    }

    boolean countsLeft() {
      return count == Retention.UNLIMITED || used < count;
    }

    String reason() {
      return name + " " + used + (count == Retention.UNLIMITED ? " (unlimited)" : " of " + count);
    }
  }

  /** A keep-within-PERIOD rule and its running state. */
  private static final class WithinRule {
    final Period period;
    final Duration within;
    Long lastKey;

    WithinRule(Period period, Duration within) {
      this.period = period;
      this.within = within;
    }
  }

  private static List<Decision> evaluate(Retention policy, List<Snapshot> newestFirst, Instant now) {
    ZoneId zone = policy.zone();
    List<CountRule> counts = new ArrayList<>();
    addCount(counts, "last", null, policy.last());
    addCount(counts, Period.HOURLY.label(), Period.HOURLY, policy.hourly());
    addCount(counts, Period.DAILY.label(), Period.DAILY, policy.daily());
    addCount(counts, Period.WEEKLY.label(), Period.WEEKLY, policy.weekly());
    addCount(counts, Period.MONTHLY.label(), Period.MONTHLY, policy.monthly());
    addCount(counts, Period.YEARLY.label(), Period.YEARLY, policy.yearly());
    List<WithinRule> withins = new ArrayList<>();
    addWithin(withins, Period.HOURLY, policy.withinHourly());
    addWithin(withins, Period.DAILY, policy.withinDaily());
    addWithin(withins, Period.WEEKLY, policy.withinWeekly());
    addWithin(withins, Period.MONTHLY, policy.withinMonthly());
    addWithin(withins, Period.YEARLY, policy.withinYearly());

    List<Snapshot> present = newestFirst.stream().filter(s -> !s.time().isAfter(now)).toList();
    // within-rules count back from the newest snapshot that is not in the future (restic's "latest")
    Instant latest = present.isEmpty() ? now : present.get(0).time();

    List<Decision> decisions = new ArrayList<>();
    int seen = 0;
    for (Snapshot s : newestFirst) {
      List<String> reasons = new ArrayList<>();
      if (s.time().isAfter(now)) {
        // a clock-skewed or forged future snapshot is kept but must not use up counts of real ones
        decisions.add(new Decision(s, true, List.of("in the future")));
        continue;
      }
      int nr = seen++;
      boolean oldest = seen == present.size();
      for (List<String> tags : policy.tags()) {
        if (tags.isEmpty() ? s.tags().isEmpty() : s.tags().containsAll(tags)) {
          reasons.add(tags.isEmpty() ? "untagged" : (tags.size() == 1 ? "tag " : "tags ") + String.join(",", tags));
        }
      }
      if (!policy.within().isZero() && isWithin(s, latest, policy.within(), zone)) {
        reasons.add("within " + Durations.format(policy.within()));
      }
      for (CountRule r : counts) {
        if (!r.countsLeft()) {
          continue;
        }
        long key = r.period == null ? nr : r.period.key(s.time(), zone);
        if (r.lastKey == null || r.lastKey != key) {
          r.lastKey = key;
          r.used++;
          reasons.add(r.reason());
        } else if (oldest) {
          // counts left but no older period: keep the oldest too, so the history kept is as long as possible
          reasons.add("oldest " + r.name);
        }
      }
      for (WithinRule r : withins) {
        if (isWithin(s, latest, r.within, zone)) {
          long key = r.period.key(s.time(), zone);
          if (r.lastKey == null || r.lastKey != key) {
            r.lastKey = key;
            reasons.add(r.period.label() + " within " + Durations.format(r.within));
          }
        }
      }
      decisions.add(new Decision(s, !reasons.isEmpty(), reasons));
    }
    return decisions;
  }

  private static boolean isWithin(Snapshot s, Instant latest, Duration d, ZoneId zone) {
    return s.time().isAfter(Durations.windowStart(latest, d, zone));
  }

  private static void addCount(List<CountRule> rules, String name, Period p, int n) {
    if (n != 0) {
      rules.add(new CountRule(name, p, n));
    }
  }

  private static void addWithin(List<WithinRule> rules, Period p, Duration d) {
    if (!d.isZero()) {
      rules.add(new WithinRule(p, d));
    }
  }
}
