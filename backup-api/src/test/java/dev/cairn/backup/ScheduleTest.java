package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static List<String> firings(Schedule s, String fromUtc, int n) {
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(fromUtc);
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t);
      out.add(t.toString());
    }
    return out;
  }

  private static List<String> localFirings(Schedule s, String fromUtc, int n) {
    List<String> out = new ArrayList<>();
    Instant t = Instant.parse(fromUtc);
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t);
      out.add(t.atZone(s.zone()).toOffsetDateTime().toString());
    }
    return out;
  }

  @Test
  void dailyAtTwoRunsEveryDayAtTwo() {
    Schedule s = Schedule.cron("0 2 * * *", UTC);
    assertThat(firings(s, "2026-11-28T01:59:59Z", 3))
        .containsExactly("2026-11-28T02:00:00Z", "2026-11-29T02:00:00Z", "2026-11-30T02:00:00Z");
    // strictly after: the firing time itself is not returned again
    assertThat(s.nextAfter(Instant.parse("2026-11-28T02:00:00Z"))).isEqualTo("2026-11-29T02:00:00Z");
  }

  @Test
  void supportsRangesListsStepsAndNames() {
    Schedule s = Schedule.cron("0,30 9-17/4 * * MON-FRI", UTC);
    // 2026-11-27 is a Friday; next are Friday 13:00, 13:30, 17:00, 17:30, then Monday 09:00
    assertThat(firings(s, "2026-11-27T12:00:00Z", 5)).containsExactly(
        "2026-11-27T13:00:00Z", "2026-11-27T13:30:00Z", "2026-11-27T17:00:00Z", "2026-11-27T17:30:00Z",
        "2026-11-30T09:00:00Z");
    assertThat(firings(Schedule.cron("*/20 * * * *", UTC), "2026-01-01T00:00:00Z", 3))
        .containsExactly("2026-01-01T00:20:00Z", "2026-01-01T00:40:00Z", "2026-01-01T01:00:00Z");
    assertThat(firings(Schedule.cron("15 3 1 jan,jul *", UTC), "2026-03-01T00:00:00Z", 2))
        .containsExactly("2026-07-01T03:15:00Z", "2027-01-01T03:15:00Z");
    assertThat(firings(Schedule.cron("5/25 0 1 1 *", UTC), "2026-12-31T23:00:00Z", 3))
        .containsExactly("2027-01-01T00:05:00Z", "2027-01-01T00:30:00Z", "2027-01-01T00:55:00Z");
  }

  @Test
  void sundayIsZeroOrSeven() {
    Schedule zero = Schedule.cron("0 4 * * 0", UTC);
    Schedule seven = Schedule.cron("0 4 * * 7", UTC);
    Schedule name = Schedule.cron("0 4 * * sun", UTC);
    Instant from = Instant.parse("2026-11-25T00:00:00Z");
    assertThat(zero.nextAfter(from)).isEqualTo("2026-11-29T04:00:00Z");
    assertThat(seven.nextAfter(from)).isEqualTo(zero.nextAfter(from));
    assertThat(name.nextAfter(from)).isEqualTo(zero.nextAfter(from));
  }

  @Test
  void restrictedDayOfMonthAndWeekMatchEither() {
    // Vixie cron: the 13th of the month OR any Friday
    Schedule s = Schedule.cron("0 0 13 * FRI", UTC);
    assertThat(firings(s, "2026-11-01T00:00:00Z", 4)).containsExactly(
        "2026-11-06T00:00:00Z", "2026-11-13T00:00:00Z", "2026-11-20T00:00:00Z", "2026-11-27T00:00:00Z");
    assertThat(firings(s, "2026-11-28T00:00:00Z", 3)).containsExactly(
        "2026-12-04T00:00:00Z", "2026-12-11T00:00:00Z", "2026-12-13T00:00:00Z");
  }

  @Test
  void leapDayOnlyInLeapYears() {
    Schedule s = Schedule.cron("0 12 29 2 *", UTC);
    assertThat(firings(s, "2026-01-01T00:00:00Z", 2))
        .containsExactly("2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z");
  }

  @Test
  void macrosAndShortcuts() {
    Instant from = Instant.parse("2026-11-28T10:00:00Z");  // a Saturday
    assertThat(Schedule.cron("@daily", UTC).nextAfter(from)).isEqualTo("2026-11-29T00:00:00Z");
    assertThat(Schedule.daily().withZone(UTC).nextAfter(from)).isEqualTo("2026-11-29T00:00:00Z");
    assertThat(Schedule.weekly().withZone(UTC).nextAfter(from)).isEqualTo("2026-11-29T00:00:00Z");
    assertThat(Schedule.monthly().withZone(UTC).nextAfter(from)).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(Schedule.cron("@hourly", UTC).nextAfter(from)).isEqualTo("2026-11-28T11:00:00Z");
    assertThat(Schedule.daily(LocalTime.of(2, 30)).withZone(UTC).nextAfter(from)).isEqualTo("2026-11-29T02:30:00Z");
    assertThat(Schedule.weekly(DayOfWeek.WEDNESDAY, LocalTime.of(3, 0)).withZone(UTC).nextAfter(from))
        .isEqualTo("2026-12-02T03:00:00Z");
  }

  @Test
  void timeZoneMovesTheFiringInstant() {
    Schedule berlin = Schedule.cron("0 2 * * *", BERLIN);
    // winter: Berlin is UTC+1
    assertThat(berlin.nextAfter(Instant.parse("2026-11-28T00:00:00Z"))).isEqualTo("2026-11-28T01:00:00Z");
    // summer: UTC+2
    assertThat(berlin.nextAfter(Instant.parse("2026-06-30T23:00:00Z"))).isEqualTo("2026-07-01T00:00:00Z");
  }

  @Test
  void springForwardRunsASkippedTimeOnceAtTheEndOfTheGap() {
    // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that day
    Schedule s = Schedule.cron("30 2 * * *", BERLIN);
    assertThat(localFirings(s, "2026-03-27T12:00:00Z", 3)).containsExactly(
        "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00");
    // a quarter-hourly job keeps running across the gap, never twice at the same instant
    Schedule q = Schedule.cron("*/15 * * * *", BERLIN);
    assertThat(localFirings(q, "2026-03-29T00:40:00Z", 4)).containsExactly(
        "2026-03-29T01:45+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:15+02:00", "2026-03-29T03:30+02:00");
  }

  @Test
  void fallBackRunsAFixedTimeOnceButKeepsAnHourlyRhythm() {
    // 2026-11-01 in New York: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice
    Schedule s = Schedule.cron("30 1 * * *", NEW_YORK);
    assertThat(localFirings(s, "2026-10-31T12:00:00Z", 3)).containsExactly(
        "2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00", "2026-11-03T01:30-05:00");
    Schedule hourly = Schedule.cron("30 * * * *", NEW_YORK);
    assertThat(localFirings(hourly, "2026-11-01T04:00:00Z", 4)).containsExactly(
        "2026-11-01T00:30-04:00", "2026-11-01T01:30-04:00", "2026-11-01T01:30-05:00", "2026-11-01T02:30-05:00");
  }

  @Test
  void dailyJobRunsOncePerDayAcrossAYearOfDstChanges() {
    Schedule s = Schedule.cron("0 2 * * *", BERLIN);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    List<LocalDateTime> days = new ArrayList<>();
    for (int i = 0; i < 365; i++) {
      Instant next = s.nextAfter(t);
      assertThat(next).isAfter(t);
      days.add(LocalDateTime.ofInstant(next, BERLIN));
      t = next;
    }
    for (int i = 1; i < days.size(); i++) {
      assertThat(days.get(i).toLocalDate()).isEqualTo(days.get(i - 1).toLocalDate().plusDays(1));
    }
  }

  @Test
  void intervalsAreAlignedToTheEpoch() {
    Schedule s = Schedule.every(Duration.ofHours(6));
    assertThat(firings(s, "2026-11-28T07:13:00Z", 3))
        .containsExactly("2026-11-28T12:00:00Z", "2026-11-28T18:00:00Z", "2026-11-29T00:00:00Z");
    assertThat(s.nextAfter(Instant.parse("2026-11-28T12:00:00Z"))).isEqualTo("2026-11-28T18:00:00Z");
  }

  @Test
  void rejectsMalformedExpressionsNamingTheField() {
    assertThatThrownBy(() -> Schedule.cron("0 2 * *")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 fields");
    assertThatThrownBy(() -> Schedule.cron("61 2 * * *")).hasMessageContaining("minute field '61'");
    assertThatThrownBy(() -> Schedule.cron("0 2 * FOO *")).hasMessageContaining("month field 'FOO'");
    assertThatThrownBy(() -> Schedule.cron("0 5-2 * * *")).hasMessageContaining("hour field '5-2'");
    assertThatThrownBy(() -> Schedule.cron("*/0 * * * *")).hasMessageContaining("step must be at least 1");
    assertThatThrownBy(() -> Schedule.cron("0 0 30 2 *")).hasMessageContaining("never matches");
    assertThatThrownBy(() -> Schedule.every(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
