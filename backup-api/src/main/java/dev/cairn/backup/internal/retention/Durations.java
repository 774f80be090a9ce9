package dev.cairn.backup.internal.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** Short, restic-like spelling of durations ({@code 30d}, {@code 1d12h}, {@code 90s}) and window starts. */
public final class Durations {
  private Durations() {}

  /** Formats {@code d} as days, hours, minutes and seconds, omitting zero parts ({@code 0s} for zero). */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder b = new StringBuilder();
    long days = d.toDays();
    if (days > 0) {
      b.append(days).append('d');
    }
    if (d.toHoursPart() > 0) {
      b.append(d.toHoursPart()).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0 || b.length() == 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    return b.toString();
  }

  /**
   * The start of the window of length {@code d} that ends at {@code end}: a whole number of days is
   * counted in calendar days in {@code zone} (so {@code 7d} spans a DST change as seven local days, as
   * restic counts them); any other duration is exact elapsed time.
   */
  public static Instant windowStart(Instant end, Duration d, ZoneId zone) {
    if (d.toSecondsPart() == 0 && d.toMinutesPart() == 0 && d.toHoursPart() == 0 && d.toNanosPart() == 0) {
      return end.atZone(zone).minusDays(d.toDays()).toInstant();
    }
    return end.minus(d);
  }
}
