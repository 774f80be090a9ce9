package dev.cairn.backup.internal.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;

/**
 * A calendar period that snapshots are bucketed by, evaluated in a time zone on natural boundaries
 * (hours :00 to :59, days 00:00 to 24:00, ISO weeks Monday to Sunday, months, years), like restic.
 */
public enum Period {
  /** A real hour: on a fall-back day the repeated local hour counts as two hours. */
  HOURLY("hourly", Duration.ofHours(1)),
  /** A local calendar day (23 or 25 hours long on DST change days). */
  DAILY("daily", Duration.ofHours(25)),
  /** An ISO week, Monday 00:00 to Sunday 24:00, numbered within its week-based year. */
  WEEKLY("weekly", Duration.ofDays(7).plusHours(1)),
  /** A calendar month. */
  MONTHLY("monthly", Duration.ofDays(31).plusHours(1)),
  /** A calendar year (366 days in a leap year). */
  YEARLY("yearly", Duration.ofDays(366).plusHours(1));

  private final String label;
  private final Duration longest;

  Period(String label, Duration longest) {
    this.label = label;
    this.longest = longest;
  }

  /** The word used in reasons and descriptions ({@code daily}). */
  public String label() {
    return label;
  }

  /** The longest a period of this kind can last (a DST day is 25 hours, a leap year 366 days). */
  public Duration longest() {
    return longest;
  }

  /** A value that is equal for two instants exactly when they fall into the same period in {@code zone}. */
  public long key(Instant time, ZoneId zone) {
    ZonedDateTime t = time.atZone(zone);
    switch (this) {
      case HOURLY:
        // truncating keeps the offset, so 02:30 CEST and 02:30 CET on a fall-back day stay apart
        return t.truncatedTo(ChronoUnit.HOURS).toEpochSecond();
      case DAILY:
        return t.toLocalDate().toEpochDay();
      case WEEKLY:
        return t.get(IsoFields.WEEK_BASED_YEAR) * 100L + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case MONTHLY:
        return t.getYear() * 100L + t.getMonthValue();
      case YEARLY:
        return t.getYear();
      default:
        throw new AssertionError(this);
    }
  }
}
