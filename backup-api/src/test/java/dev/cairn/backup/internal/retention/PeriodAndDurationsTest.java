package dev.cairn.backup.internal.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodAndDurationsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void formatsDurationsTheWayReasonsShowThem() {
    assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("1d12h");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void windowsOfWholeDaysFollowTheLocalCalendar() {
    Instant end = Instant.parse("2026-03-30T10:00:00Z"); // 12:00 CEST, the day after spring-forward
    assertThat(Durations.windowStart(end, Duration.ofDays(1), BERLIN)).isEqualTo(Instant.parse("2026-03-29T10:00:00Z"));
    assertThat(Durations.windowStart(end, Duration.ofDays(2), BERLIN)).isEqualTo(Instant.parse("2026-03-28T11:00:00Z"));
    assertThat(Durations.windowStart(end, Duration.ofHours(47), BERLIN)).isEqualTo(Instant.parse("2026-03-28T11:00:00Z"));
  }

  @Test
  void bucketsByNaturalPeriods() {
    Instant a = Instant.parse("2026-10-25T00:30:00Z"); // 02:30 CEST
    Instant b = Instant.parse("2026-10-25T01:30:00Z"); // 02:30 CET
    assertThat(Period.HOURLY.key(a, BERLIN)).isNotEqualTo(Period.HOURLY.key(b, BERLIN));
    assertThat(Period.DAILY.key(a, BERLIN)).isEqualTo(Period.DAILY.key(b, BERLIN));
    assertThat(Period.WEEKLY.key(Instant.parse("2024-12-30T12:00:00Z"), BERLIN)).isEqualTo(202501);
    assertThat(Period.MONTHLY.key(Instant.parse("2024-02-29T22:59:00Z"), BERLIN)).isEqualTo(202402);
    assertThat(Period.MONTHLY.key(Instant.parse("2024-02-29T23:00:00Z"), BERLIN)).isEqualTo(202403);
    assertThat(Period.YEARLY.key(Instant.parse("2024-12-31T23:30:00Z"), BERLIN)).isEqualTo(2025);
  }
}
