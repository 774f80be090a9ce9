package dev.cairn.backup;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * When something runs: a five-field cron expression or a fixed interval, in a time zone. Immutable and
 * thread-safe.
 *
 * <p>Cron expressions have the fields {@code minute hour day-of-month month day-of-week}, each
 * {@code *}, a value, a range {@code a-b}, a list {@code a,b,c} or a step {@code *}{@code /n},
 * {@code a-b/n}, {@code a/n}; months and weekdays may be written as names ({@code JAN}…{@code DEC},
 * {@code SUN}…{@code SAT}; 0 and 7 are both Sunday). When both day fields are restricted, a day matches
 * if either matches (as in Vixie cron). The macros {@code @hourly}, {@code @daily}, {@code @weekly},
 * {@code @monthly} and {@code @yearly} are accepted.
 *
 * <p>Daylight saving time: times are matched on the local clock of {@link #zone()}. A time that the
 * clock skips (spring forward) runs once, at the end of the gap; a time that occurs twice (fall back)
 * runs once, at its first occurrence — unless the hour field is {@code *}, in which case the job keeps
 * its rhythm through both occurrences. So {@code 0 2 * * *} runs exactly once every day of the year.
 *
 * <pre>{@code
 * Schedule nightly = Schedule.cron("0 2 * * *").withZone(ZoneId.of("Europe/Berlin"));
 * Instant next = nightly.nextAfter(Instant.now());
 * }</pre>
 */
public final class Schedule {
  private static final Map<String, String> MACROS = Map.of(
      "@hourly", "0 * * * *", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
      "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** Enough to find Feb 29 on a given weekday (28-year cycle) and every other valid combination. */
  private static final int MAX_DAYS_SEARCHED = 366 * 29;

  private final String expression;
  private final ZoneId zone;
  // cron form
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;
  private final boolean everyHour;
  // interval form
  private final Duration interval;
  private final Instant anchor;

  private Schedule(String expression, ZoneId zone, BitSet[] fields, boolean domRestricted,
      boolean dowRestricted, boolean everyHour, Duration interval, Instant anchor) {
    this.expression = expression;
    this.zone = zone;
    this.minutes = fields == null ? null : fields[0];
    this.hours = fields == null ? null : fields[1];
    this.daysOfMonth = fields == null ? null : fields[2];
    this.months = fields == null ? null : fields[3];
    this.daysOfWeek = fields == null ? null : fields[4];
    this.dayOfMonthRestricted = domRestricted;
    this.dayOfWeekRestricted = dowRestricted;
    this.everyHour = everyHour;
    this.interval = interval;
    this.anchor = anchor;
  }

  /**
   * A cron schedule in the system default time zone; use {@link #withZone(ZoneId)} to pin one.
   *
   * @param expression five fields or a macro, e.g. {@code "0 2 * * *"}, {@code "30 3 * * MON-FRI"},
   *     {@code "@weekly"}
   * @throws IllegalArgumentException naming the field at fault if the expression is malformed or can
   *     never match (e.g. {@code 0 0 30 2 *})
   */
  public static Schedule cron(String expression) {
    return cron(expression, ZoneId.systemDefault());
  }

  /** A cron schedule in {@code zone}; see {@link #cron(String)}. */
  public static Schedule cron(String expression, ZoneId zone) {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(zone, "zone");
    String trimmed = expression.trim();
    String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
    String[] parts = expanded.split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("cron expression '" + expression + "' has " + parts.length
          + " fields; expected 5: minute hour day-of-month month day-of-week, e.g. '0 2 * * *'");
    }
    BitSet[] fields = {
      parseField(expression, "minute", parts[0], 0, 59, null),
      parseField(expression, "hour", parts[1], 0, 23, null),
      parseField(expression, "day-of-month", parts[2], 1, 31, null),
      parseField(expression, "month", parts[3], 1, 12, MONTHS),
      parseField(expression, "day-of-week", parts[4], 0, 7, DAYS),
    };
    if (fields[4].get(7)) {
      fields[4].set(0);
      fields[4].clear(7);
    }
    Schedule s = new Schedule(trimmed, zone, fields, !isStar(parts[2]), !isStar(parts[4]),
        isStar(parts[1]), null, null);
    if (s.nextAfter(Instant.parse("2000-01-01T00:00:00Z")) == null) {
      throw new IllegalArgumentException("cron expression '" + expression
          + "' never matches a real date (check day-of-month against month)");
    }
    return s;
  }

  /**
   * A fixed interval, aligned to the epoch (so {@code every(Duration.ofHours(6))} runs at 00:00, 06:00,
   * 12:00 and 18:00 UTC), independent of time zones and daylight saving time.
   *
   * @throws IllegalArgumentException if {@code interval} is shorter than one second
   */
  public static Schedule every(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("schedule interval must be at least 1 second, got " + interval);
    }
    return new Schedule("every " + interval, ZoneOffset.UTC, null, false, false, false, interval,
        Instant.EPOCH);
  }

  /** Every day at 00:00 in the system default zone (cron {@code 0 0 * * *}). */
  public static Schedule daily() {
    return cron("@daily");
  }

  /** Every day at {@code time} (minute precision) in the system default zone. */
  public static Schedule daily(LocalTime time) {
    return cron(time.getMinute() + " " + time.getHour() + " * * *");
  }

  /** Every Sunday at 00:00 in the system default zone (cron {@code 0 0 * * 0}). */
  public static Schedule weekly() {
    return cron("@weekly");
  }

  /** Every {@code day} at {@code time} (minute precision) in the system default zone. */
  public static Schedule weekly(DayOfWeek day, LocalTime time) {
    return cron(time.getMinute() + " " + time.getHour() + " * * " + (day.getValue() % 7));
  }

  /** On the first of every month at 00:00 in the system default zone (cron {@code 0 0 1 * *}). */
  public static Schedule monthly() {
    return cron("@monthly");
  }

  /** This schedule with its local times read in {@code zone} (intervals ignore the zone). */
  public Schedule withZone(ZoneId newZone) {
    Objects.requireNonNull(newZone, "zone");
    if (interval != null) {
      return this;
    }
    return new Schedule(expression, newZone, new BitSet[] {minutes, hours, daysOfMonth, months, daysOfWeek},
        dayOfMonthRestricted, dayOfWeekRestricted, everyHour, null, null);
  }

  /** The expression as given ({@code 0 2 * * *}, {@code @daily}) or {@code every PT6H}. */
  public String expression() {
    return expression;
  }

  /** The time zone local times are read in; UTC for intervals. */
  public ZoneId zone() {
    return zone;
  }

  /** The interval for {@link #every(Duration)} schedules; {@code null} for cron schedules. */
  public Duration interval() {
    return interval;
  }

  /**
   * The longest time between two consecutive firings over the year after {@code from}: how much can
   * pass between two runs (a day for {@code daily}, 31 days for {@code monthly}). Daylight-saving
   * changes do not lengthen it: each gap is the shorter of elapsed and wall-clock time, so a daily run
   * stays one day apart although that day has 23 or 25 hours. For {@link #every(Duration)} schedules, the interval. Used to prove a plan's
   * RPO and to judge how old a copy target's newest copy may be.
   */
  public Duration longestGap(Instant from) {
    if (interval != null) {
      return interval;
    }
    Duration longest = Duration.ZERO;
    Instant previous = nextAfter(from);
    Instant end = from.plus(Duration.ofDays(400));
    for (int i = 0; i < 1000 && previous != null && previous.isBefore(end); i++) {
      Instant next = nextAfter(previous);
      if (next == null) {
        break;
      }
      // the shorter of elapsed and wall-clock time: a daily 02:00 run skipped forward to 03:00 in spring is
      // 24 h after the previous one but 25 h on the wall clock; a run repeated in the autumn's extra hour
      // is a day on the wall clock but 25 h later
      Duration elapsed = Duration.between(previous, next);
      Duration wall = Duration.between(previous.atZone(zone).toLocalDateTime(), next.atZone(zone).toLocalDateTime());
      Duration gap = elapsed.compareTo(wall) < 0 ? elapsed : wall;
      if (gap.compareTo(longest) > 0) {
        longest = gap;
      }
      previous = next;
    }
    return longest;
  }

  /**
   * The first time strictly after {@code after} at which this schedule fires, or {@code null} if it
   * never fires again (only for expressions that match no real date, which {@link #cron} rejects).
   */
  public Instant nextAfter(Instant after) {
    Objects.requireNonNull(after, "after");
    if (interval != null) {
      long nanos = interval.toNanos();
      long sinceAnchor = Duration.between(anchor, after).toNanos();
      long periods = Math.floorDiv(sinceAnchor, nanos) + 1;
      return anchor.plus(interval.multipliedBy(periods));
    }
    ZoneRules rules = zone.getRules();
    // start a day early: in a fall-back overlap the local date of 'after' may lag the candidates
    LocalDate day = LocalDateTime.ofInstant(after, zone).toLocalDate().minusDays(1);
    for (int i = 0; i < MAX_DAYS_SEARCHED; i++, day = day.plusDays(1)) {
      if (!matchesDay(day)) {
        continue;
      }
      Instant best = null;
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          best = earliest(best, firing(rules, day.atTime(h, m), after));
        }
      }
      if (best != null) {
        return best;
      }
    }
    return null;
  }

  /** The earliest instant after {@code after} at which local time {@code t} fires, or null. */
  private Instant firing(ZoneRules rules, LocalDateTime t, Instant after) {
    List<ZoneOffset> offsets = rules.getValidOffsets(t);
    if (offsets.isEmpty()) {
      // spring forward: the local time does not exist; run once when the gap ends
      ZoneOffsetTransition gap = rules.getTransition(t);
      return later(gap.getInstant(), after);
    }
    Instant first = later(t.toInstant(offsets.get(0)), after);
    if (first != null || offsets.size() == 1 || !everyHour) {
      return first;
    }
    // fall back, hour field '*': keep the rhythm through the repeated hour
    return later(t.toInstant(offsets.get(1)), after);
  }

  private static Instant later(Instant candidate, Instant after) {
    return candidate.isAfter(after) ? candidate : null;
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }

  private boolean matchesDay(LocalDate day) {
    if (!months.get(day.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static boolean isStar(String field) {
    return field.equals("*") || field.equals("?");
  }

  private static BitSet parseField(String expr, String name, String field, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : field.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(expr, name, part.substring(slash + 1), null);
        if (step < 1) {
          throw fieldError(expr, name, part, "step must be at least 1");
        }
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max == 7 ? 6 : max;
      } else {
        int dash = range.indexOf('-');
        if (dash > 0) {
          from = number(expr, name, range.substring(0, dash), names);
          to = number(expr, name, range.substring(dash + 1), names);
        } else {
          from = number(expr, name, range, names);
          to = slash >= 0 ? (max == 7 ? 6 : max) : from;
        }
      }
      if (from < min || to > max || from > max || to < min) {
        throw fieldError(expr, name, part, "values must lie in " + min + "-" + max);
      }
      if (from > to) {
        throw fieldError(expr, name, part, "range start is after its end");
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String expr, String name, String text, List<String> names) {
    if (names != null) {
      int i = names.indexOf(text.toUpperCase(Locale.ROOT));
      if (i >= 0) {
        return names == MONTHS ? i + 1 : i;
      }
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw fieldError(expr, name, text, names == null ? "not a number" : "not a number or a name like "
          + names.get(0) + "-" + names.get(names.size() - 1));
    }
  }

  private static IllegalArgumentException fieldError(String expr, String name, String part, String why) {
    return new IllegalArgumentException("cron expression '" + expr + "': " + name + " field '" + part
        + "' is invalid: " + why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schedule s && s.expression.equals(expression) && s.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expression, zone);
  }

  @Override
  public String toString() {
    return interval != null ? expression : expression + " (" + zone + ")";
  }
}
