package dev.cairn.backup;

import dev.cairn.backup.internal.retention.Durations;
import dev.cairn.backup.internal.retention.Period;
import dev.cairn.backup.internal.retention.RetentionEvaluator;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A retention policy: which snapshots of a repository to keep, with restic's vocabulary and semantics.
 * Immutable and thread-safe; every {@code keep*}, {@link #groupBy}, {@link #zone} and
 * {@link #allowRemoveAll} call returns a changed copy.
 *
 * <pre>{@code
 * Retention onSite = Retention.policy().keepDaily(7).keepWeekly(4).zone(ZoneId.of("Europe/Berlin"));
 * Retention offSite = Retention.policy().keepMonthly(12).keepTag("pinned");
 * RetentionPlan plan = onSite.apply(repository.snapshots(), Instant.now());
 * System.out.print(plan.render());                       // the --dry-run table
 * }</pre>
 *
 * <p>Semantics (see docs/retention.md): snapshots are grouped (default: by host, plan and source
 * names), each group is evaluated newest first, and a snapshot is kept when at least one rule keeps it.
 * {@code keepLast(n)} keeps the {@code n} newest; {@code keepDaily(n)} (and hourly, weekly, monthly,
 * yearly) keeps the newest snapshot of each of the {@code n} newest days that have snapshots, days
 * being calendar days in {@link #zone()}; if a counting rule has counts left after the newest snapshot
 * of every period, the oldest snapshot is kept too ("oldest daily"). {@code keepWithin(d)} keeps every
 * snapshot taken within {@code d} of the group's newest snapshot; {@code keepWithinDaily(d)} keeps the
 * newest snapshot of each day within {@code d}. {@code keepTag} keeps every snapshot carrying the tags.
 * Snapshots dated after {@code now} are always kept and not counted. A count of {@link #UNLIMITED}
 * ({@code -1}) means every period; {@code 0} turns a rule off.
 *
 * <p>Java does not allow a static and an instance method with one signature, so a policy starts from
 * {@link #policy()}: {@code Retention.policy().keepDaily(7)}.
 */
public final class Retention {
  /** A count meaning "every period" (restic's {@code unlimited}). */
  public static final int UNLIMITED = -1;

  /** What snapshots are grouped by before the policy is applied to each group separately. */
  public enum GroupBy {
    /** The host that took the snapshot. */
    HOST,
    /** The plan's name. */
    PLAN,
    /** The set of source names in the snapshot (restic groups by paths). */
    SOURCE,
    /** The set of tags. */
    TAGS
  }

  private static final Retention EMPTY = new Retention(new Values());

  private final int last;
  private final int[] counts; // indexed by Period.ordinal()
  private final Duration within;
  private final Duration[] withinPeriods; // indexed by Period.ordinal(), ZERO = off
  private final List<List<String>> tags;
  private final Set<GroupBy> groupBy;
  private final ZoneId zone;
  private final boolean allowRemoveAll;

  private Retention(Values v) {
    this.last = v.last;
    this.counts = v.counts.clone();
    this.within = v.within;
    this.withinPeriods = v.withinPeriods.clone();
    this.tags = List.copyOf(v.tags);
    this.groupBy = Collections.unmodifiableSet(EnumSet.copyOf(v.groupBy));
    this.zone = v.zone;
    this.allowRemoveAll = v.allowRemoveAll;
  }

  /**
   * The empty policy to build on: no keep rule, grouped by host, plan and source, periods in the
   * system default time zone. Applying it as is fails (it would remove everything) unless
   * {@link #allowRemoveAll()} is set.
   */
  public static Retention policy() {
    return EMPTY;
  }

  /** Keeps the {@code n} newest snapshots ({@link #UNLIMITED} for all, 0 for off). */
  public Retention keepLast(int n) {
    checkCount("keepLast", n);
    return with(v -> v.last = n);
  }

  /** Keeps the newest snapshot of each of the {@code n} newest hours that have snapshots. */
  public Retention keepHourly(int n) {
    return keepCount(Period.HOURLY, "keepHourly", n);
  }

  /** Keeps the newest snapshot of each of the {@code n} newest calendar days that have snapshots. */
  public Retention keepDaily(int n) {
    return keepCount(Period.DAILY, "keepDaily", n);
  }

  /** Keeps the newest snapshot of each of the {@code n} newest ISO weeks (Monday to Sunday) that have snapshots. */
  public Retention keepWeekly(int n) {
    return keepCount(Period.WEEKLY, "keepWeekly", n);
  }

  /** Keeps the newest snapshot of each of the {@code n} newest calendar months that have snapshots. */
  public Retention keepMonthly(int n) {
    return keepCount(Period.MONTHLY, "keepMonthly", n);
  }

  /** Keeps the newest snapshot of each of the {@code n} newest calendar years that have snapshots. */
  public Retention keepYearly(int n) {
    return keepCount(Period.YEARLY, "keepYearly", n);
  }

  /**
   * Keeps every snapshot taken within {@code d} before the group's newest snapshot (not before
   * {@code now}: a repository whose backups stopped keeps its history). A whole number of days counts
   * calendar days in the zone; {@link Duration#ZERO} turns the rule off.
   */
  public Retention keepWithin(Duration d) {
    checkDuration("keepWithin", d);
    return with(v -> v.within = d);
  }

  /** Keeps the newest snapshot of each hour within {@code d} of the group's newest snapshot. */
  public Retention keepWithinHourly(Duration d) {
    return keepWithin(Period.HOURLY, "keepWithinHourly", d);
  }

  /** Keeps the newest snapshot of each day within {@code d} of the group's newest snapshot. */
  public Retention keepWithinDaily(Duration d) {
    return keepWithin(Period.DAILY, "keepWithinDaily", d);
  }

  /** Keeps the newest snapshot of each ISO week within {@code d} of the group's newest snapshot. */
  public Retention keepWithinWeekly(Duration d) {
    return keepWithin(Period.WEEKLY, "keepWithinWeekly", d);
  }

  /** Keeps the newest snapshot of each month within {@code d} of the group's newest snapshot. */
  public Retention keepWithinMonthly(Duration d) {
    return keepWithin(Period.MONTHLY, "keepWithinMonthly", d);
  }

  /** Keeps the newest snapshot of each year within {@code d} of the group's newest snapshot. */
  public Retention keepWithinYearly(Duration d) {
    return keepWithin(Period.YEARLY, "keepWithinYearly", d);
  }

  /**
   * Keeps every snapshot that carries all of {@code tags}; each call adds an alternative (a snapshot
   * matching any call is kept). {@code keepTag("")} keeps untagged snapshots, like restic's
   * {@code --keep-tag ''}.
   */
  public Retention keepTag(String... tags) {
    Objects.requireNonNull(tags, "tags");
    if (tags.length == 0) {
      throw new IllegalArgumentException("keepTag needs at least one tag (\"\" for untagged snapshots)");
    }
    List<String> set = new ArrayList<>();
    for (String t : tags) {
      Objects.requireNonNull(t, "tag");
      if (!t.isEmpty() && !set.contains(t)) {
        set.add(t);
      }
    }
    List<String> sorted = set.stream().sorted().collect(Collectors.toUnmodifiableList());
    return with(v -> {
      if (!v.tags.contains(sorted)) {
        v.tags.add(sorted);
      }
    });
  }

  /**
   * Groups snapshots by the given properties before applying the policy to each group; no argument
   * means one group of all snapshots. Default: {@code HOST, PLAN, SOURCE}.
   */
  public Retention groupBy(GroupBy... by) {
    Objects.requireNonNull(by, "by");
    EnumSet<GroupBy> set = EnumSet.noneOf(GroupBy.class);
    for (GroupBy b : by) {
      set.add(Objects.requireNonNull(b, "groupBy"));
    }
    return with(v -> v.groupBy = set);
  }

  /** The time zone whose calendar defines hours, days, weeks, months and years. Default: the system zone. */
  public Retention zone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return with(v -> v.zone = zone);
  }

  /**
   * Allows the policy to remove every snapshot of a group (an empty policy, or only
   * {@link #keepTag} rules that no snapshot of a group matches); without it {@link #apply} refuses,
   * like restic without {@code --unsafe-allow-remove-all}.
   */
  public Retention allowRemoveAll() {
    return with(v -> v.allowRemoveAll = true);
  }

  /**
   * Decides, for every snapshot, whether to keep or remove it, and why. A pure function: it reads
   * nothing but its arguments.
   *
   * @param snapshots the snapshots of one repository, in any order
   * @param now the current time; snapshots dated after it are kept and not counted
   * @return the plan, one group per distinct grouping key, decisions newest first
   * @throws ConfigurationException if the policy would remove every snapshot of a group and
   *     {@link #allowRemoveAll()} is not set
   */
  public RetentionPlan apply(List<Snapshot> snapshots, Instant now) {
    return RetentionEvaluator.apply(this, snapshots, now);
  }

  /** The keep-last count (0 off, {@link #UNLIMITED} all). */
  public int last() {
    return last;
  }

  /** The keep-hourly count. */
  public int hourly() {
    return counts[Period.HOURLY.ordinal()];
  }

  /** The keep-daily count. */
  public int daily() {
    return counts[Period.DAILY.ordinal()];
  }

  /** The keep-weekly count. */
  public int weekly() {
    return counts[Period.WEEKLY.ordinal()];
  }

  /** The keep-monthly count. */
  public int monthly() {
    return counts[Period.MONTHLY.ordinal()];
  }

  /** The keep-yearly count. */
  public int yearly() {
    return counts[Period.YEARLY.ordinal()];
  }

  /** The keep-within duration ({@link Duration#ZERO} when off). */
  public Duration within() {
    return within;
  }

  /** The keep-within-hourly duration. */
  public Duration withinHourly() {
    return withinPeriods[Period.HOURLY.ordinal()];
  }

  /** The keep-within-daily duration. */
  public Duration withinDaily() {
    return withinPeriods[Period.DAILY.ordinal()];
  }

  /** The keep-within-weekly duration. */
  public Duration withinWeekly() {
    return withinPeriods[Period.WEEKLY.ordinal()];
  }

  /** The keep-within-monthly duration. */
  public Duration withinMonthly() {
    return withinPeriods[Period.MONTHLY.ordinal()];
  }

  /** The keep-within-yearly duration. */
  public Duration withinYearly() {
    return withinPeriods[Period.YEARLY.ordinal()];
  }

  /** The keep-tag alternatives, each a sorted list of tags that must all be present ({@code []} = untagged). */
  public List<List<String>> tags() {
    return tags;
  }

  /** What snapshots are grouped by (empty: one group of all snapshots). */
  public Set<GroupBy> grouping() {
    return groupBy;
  }

  /** The time zone of the calendar periods. */
  public ZoneId zone() {
    return zone;
  }

  /** Whether the policy may remove every snapshot of a group. */
  public boolean removeAllAllowed() {
    return allowRemoveAll;
  }

  /** True when no keep rule is set. */
  public boolean isEmpty() {
    return last == 0
        && Arrays.stream(counts).allMatch(c -> c == 0)
        && within.isZero()
        && Arrays.stream(withinPeriods).allMatch(Duration::isZero)
        && tags.isEmpty();
  }

  /**
   * How far back this policy keeps snapshots when a backup arrives every {@code interval}: the
   * age of the oldest snapshot it can keep, or empty when that is unbounded (an {@link #UNLIMITED}
   * count). Tag rules are left out (tags pin chosen snapshots on purpose), and so is the extra
   * "oldest" snapshot kept while history is shorter than the counts. Used to check that an Object Lock
   * period covers what retention keeps.
   *
   * @param interval the time between two snapshots of a group (positive)
   */
  public Optional<Duration> longestKept(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    if (last == UNLIMITED) {
      return Optional.empty();
    }
    Duration longest = interval.multipliedBy(Math.max(0, last - 1L));
    for (Period p : Period.values()) {
      int n = counts[p.ordinal()];
      if (n == UNLIMITED) {
        return Optional.empty();
      }
      if (n > 0) {
        Duration step = max(interval, p.longest());
        longest = max(longest, step.multipliedBy(n));
      }
      longest = max(longest, withinSpan(withinPeriods[p.ordinal()], interval));
    }
    longest = max(longest, withinSpan(within, interval));
    return Optional.of(longest);
  }

  /** A within-rule counts back from the newest snapshot, which itself may be one interval old. */
  private static Duration withinSpan(Duration d, Duration interval) {
    return d.isZero() ? d : d.plus(interval);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private Retention keepCount(Period p, String option, int n) {
    checkCount(option, n);
    return with(v -> v.counts[p.ordinal()] = n);
  }

  private Retention keepWithin(Period p, String option, Duration d) {
    checkDuration(option, d);
    return with(v -> v.withinPeriods[p.ordinal()] = d);
  }

  private static void checkCount(String option, int n) {
    if (n < UNLIMITED) {
      throw new IllegalArgumentException(option + " must be a count >= 0, or Retention.UNLIMITED (-1), got " + n);
    }
  }

  private static void checkDuration(String option, Duration d) {
    Objects.requireNonNull(d, option);
    if (d.isNegative()) {
      throw new IllegalArgumentException(option + " must not be negative, got " + d);
    }
  }

  private Retention with(Consumer<Values> change) {
    Values v = new Values(this);
    change.accept(v);
    return new Retention(v);
  }

  /**
   * Describes the policy like restic's "Applying Policy" line, e.g.
   * {@code keep 7 daily, 4 weekly snapshots; grouped by host, plan, source; periods in Europe/Berlin}.
   */
  @Override
  public String toString() {
    List<String> keeps = new ArrayList<>();
    if (last != 0) {
      keeps.add(countText(last) + " last");
    }
    for (Period p : Period.values()) {
      int n = counts[p.ordinal()];
      if (n != 0) {
        keeps.add(countText(n) + " " + p.label());
      }
    }
    List<String> parts = new ArrayList<>();
    if (!keeps.isEmpty()) {
      parts.add(String.join(", ", keeps) + " snapshots");
    }
    for (Period p : Period.values()) {
      Duration d = withinPeriods[p.ordinal()];
      if (!d.isZero()) {
        parts.add(p.label() + " snapshots within " + Durations.format(d));
      }
    }
    for (List<String> t : tags) {
      parts.add(t.isEmpty() ? "all untagged snapshots" : "all snapshots tagged " + String.join(",", t));
    }
    if (!within.isZero()) {
      parts.add("all snapshots within " + Durations.format(within) + " of the newest");
    }
    String rules = parts.isEmpty() ? "nothing" : String.join(", ", parts);
    String groups = groupBy.isEmpty()
        ? "one group"
        : "grouped by " + groupBy.stream().map(g -> g.name().toLowerCase()).collect(Collectors.joining(", "));
    return "keep " + rules + "; " + groups + "; periods in " + zone + (allowRemoveAll ? "; may remove all" : "");
  }

  private static String countText(int n) {
    return n == UNLIMITED ? "all" : Integer.toString(n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Retention r
        && last == r.last
        && Arrays.equals(counts, r.counts)
        && within.equals(r.within)
        && Arrays.equals(withinPeriods, r.withinPeriods)
        && tags.equals(r.tags)
        && groupBy.equals(r.groupBy)
        && zone.equals(r.zone)
        && allowRemoveAll == r.allowRemoveAll;
  }

  @Override
  public int hashCode() {
    return Objects.hash(last, Arrays.hashCode(counts), within, Arrays.hashCode(withinPeriods), tags, groupBy, zone, allowRemoveAll);
  }

  /** Mutable scratch copy used to derive a changed policy. */
  private static final class Values {
    int last;
    int[] counts = new int[Period.values().length];
    Duration within = Duration.ZERO;
    Duration[] withinPeriods = new Duration[Period.values().length];
    List<List<String>> tags = new ArrayList<>();
    EnumSet<GroupBy> groupBy = EnumSet.of(GroupBy.HOST, GroupBy.PLAN, GroupBy.SOURCE);
    ZoneId zone = ZoneId.systemDefault();
    boolean allowRemoveAll;

    Values() {
      Arrays.fill(withinPeriods, Duration.ZERO);
    }

    Values(Retention r) {
      last = r.last;
      counts = r.counts.clone();
      within = r.within;
      withinPeriods = r.withinPeriods.clone();
      tags = new ArrayList<>(r.tags);
      groupBy = r.groupBy.isEmpty() ? EnumSet.noneOf(GroupBy.class) : EnumSet.copyOf(r.groupBy);
      zone = r.zone;
      allowRemoveAll = r.allowRemoveAll;
    }
  }
}
