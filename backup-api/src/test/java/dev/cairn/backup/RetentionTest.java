package dev.cairn.backup;

import static dev.cairn.backup.TestSnapshots.at;
import static dev.cairn.backup.TestSnapshots.atInstant;
import static dev.cairn.backup.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.RetentionPlan.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Retention against hand-checked tables of snapshots. */
class RetentionTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

  /** Kept snapshots as "local time -> reasons", oldest first, for readable table assertions. */
  private static Map<String, String> kept(RetentionPlan plan, ZoneId zone) {
    List<Decision> ds = new ArrayList<>(plan.decisions());
    Collections.reverse(ds);
    Map<String, String> m = new LinkedHashMap<>();
    for (Decision d : ds) {
      if (d.keep()) {
        m.put(d.snapshot().time().atZone(zone).toLocalDateTime().toString(), String.join(", ", d.reasons()));
      }
    }
    return m;
  }

  @Test
  void keepsFourDailyOfTwelveSundaysLikeResticsDocumentedExample() {
    List<Snapshot> sundays = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2019, 9, 1); !d.isAfter(LocalDate.of(2019, 11, 17)); d = d.plusWeeks(1)) {
      sundays.add(at(d + "T11:00", BERLIN));
    }
    RetentionPlan plan = Retention.policy().keepDaily(4).zone(BERLIN).apply(sundays, FAR_FUTURE);

    assertThat(kept(plan, BERLIN)).containsExactly(
        Map.entry("2019-10-27T11:00", "daily 4 of 4"),
        Map.entry("2019-11-03T11:00", "daily 3 of 4"),
        Map.entry("2019-11-10T11:00", "daily 2 of 4"),
        Map.entry("2019-11-17T11:00", "daily 1 of 4"));
    assertThat(plan.remove()).hasSize(8);
  }

  @Test
  void keepsDailyWeeklyMonthlyYearlyOfAHundredYearsLikeResticsDocumentedExample() {
    // restic: "one backup every day for 100 years ... --keep-daily 7 --keep-weekly 5 --keep-monthly 12
    // --keep-yearly 75": 7 dailies, 4 more weeklies (the dailies include one), 11 or 12 monthlies, 74 or 75 yearlies
    LocalDate end = LocalDate.of(2026, 11, 29); // a Sunday: the 7 dailies are exactly one ISO week
    List<Snapshot> daily = new ArrayList<>();
    for (LocalDate d = end.minusYears(100).plusDays(1); !d.isAfter(end); d = d.plusDays(1)) {
      daily.add(snapshot(d.atTime(3, 0).atZone(ZoneOffset.UTC).toInstant()));
    }
    Retention policy = Retention.policy().keepDaily(7).keepWeekly(5).keepMonthly(12).keepYearly(75).zone(ZoneOffset.UTC);
    RetentionPlan plan = policy.apply(daily, FAR_FUTURE);

    Map<String, Long> byFirstRule = plan.decisions().stream().filter(Decision::keep)
        .collect(Collectors.groupingBy(d -> d.reasons().get(0).split(" ")[0], Collectors.counting()));
    assertThat(byFirstRule).containsOnly(
        Map.entry("daily", 7L), Map.entry("weekly", 4L), Map.entry("monthly", 11L), Map.entry("yearly", 73L));
    assertThat(plan.keep()).hasSize(95);
    Map<String, String> kept = kept(plan, ZoneOffset.UTC);
    assertThat(kept).containsEntry("2026-11-29T03:00", "daily 1 of 7, weekly 1 of 5, monthly 1 of 12, yearly 1 of 75")
        .containsEntry("2026-11-22T03:00", "weekly 2 of 5")
        .containsEntry("2025-12-31T03:00", "monthly 12 of 12, yearly 2 of 75")
        .containsEntry("1952-12-31T03:00", "yearly 75 of 75")
        .doesNotContainKey("1951-12-31T03:00");
  }

  @Test
  void keepsLastNWithCountedReasons() {
    List<Snapshot> s = List.of(
        atInstant("2026-11-01T10:00:00Z"), atInstant("2026-11-02T10:00:00Z"),
        atInstant("2026-11-03T10:00:00Z"), atInstant("2026-11-04T10:00:00Z"));
    RetentionPlan plan = Retention.policy().keepLast(2).zone(ZoneOffset.UTC).apply(s, FAR_FUTURE);
    assertThat(kept(plan, ZoneOffset.UTC)).containsExactly(
        Map.entry("2026-11-03T10:00", "last 2 of 2"), Map.entry("2026-11-04T10:00", "last 1 of 2"));
  }

  @Test
  void countsDaysInTheConfiguredZoneAcrossSpringForward() {
    // Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; the day has 23 hours
    List<Snapshot> s = List.of(
        at("2026-03-28T12:00", BERLIN),
        at("2026-03-29T00:30", BERLIN), // 2026-03-28T23:30Z: the previous day in UTC
        at("2026-03-29T01:59", BERLIN),
        at("2026-03-29T03:01", BERLIN), // 01:01Z: two minutes of real time after 01:59 CET
        at("2026-03-29T23:30", BERLIN)); // 21:30Z
    Retention policy = Retention.policy().keepDaily(2);

    assertThat(kept(policy.zone(BERLIN).apply(s, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2026-03-28T12:00", "daily 2 of 2"),
        Map.entry("2026-03-29T23:30", "daily 1 of 2"));
    // the same snapshots counted in UTC days: 00:30 Berlin is the newest of 28 March UTC
    assertThat(kept(policy.zone(ZoneOffset.UTC).apply(s, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2026-03-29T00:30", "daily 2 of 2"),
        Map.entry("2026-03-29T23:30", "daily 1 of 2"));
    // hours: 01:59 CET and 03:01 CEST are consecutive real hours, and each its own
    assertThat(kept(Retention.policy().keepHourly(3).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2026-03-29T01:59", "hourly 3 of 3"),
        Map.entry("2026-03-29T03:01", "hourly 2 of 3"),
        Map.entry("2026-03-29T23:30", "hourly 1 of 3"));
  }

  @Test
  void treatsTheRepeatedHourOfFallBackAsTwoHoursInOneDay() {
    // Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:xx happens twice, the day has 25 hours
    List<Snapshot> s = List.of(
        atInstant("2026-10-24T22:10:00Z"), // 00:10 CEST
        atInstant("2026-10-25T00:30:00Z"), // 02:30 CEST
        atInstant("2026-10-25T01:30:00Z"), // 02:30 CET
        atInstant("2026-10-25T01:45:00Z")); // 02:45 CET
    RetentionPlan hourly = Retention.policy().keepHourly(Retention.UNLIMITED).zone(BERLIN).apply(s, FAR_FUTURE);
    assertThat(hourly.decisions()).extracting(d -> d.snapshot().time().toString(), Decision::keep, Decision::reasons)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("2026-10-25T01:45:00Z", true, List.of("hourly 1 (unlimited)")),
            org.assertj.core.groups.Tuple.tuple("2026-10-25T01:30:00Z", false, List.of()),
            org.assertj.core.groups.Tuple.tuple("2026-10-25T00:30:00Z", true, List.of("hourly 2 (unlimited)")),
            org.assertj.core.groups.Tuple.tuple("2026-10-24T22:10:00Z", true, List.of("hourly 3 (unlimited)")));
    // all four are one local day
    RetentionPlan daily = Retention.policy().keepDaily(1).zone(BERLIN).apply(s, FAR_FUTURE);
    assertThat(daily.keep()).extracting(x -> x.time().toString()).containsExactly("2026-10-25T01:45:00Z");
  }

  @Test
  void keepWithinWholeDaysCountsCalendarDaysAcrossDst() {
    // the fall-back day has 25 hours: 12:30 CEST on the 24th is 24h30m of real time before 12:00 CET
    // on the 25th, yet within one calendar day of it (the window starts at 12:00 CEST on the 24th)
    List<Snapshot> s = List.of(
        at("2026-10-24T11:30", BERLIN), // 09:30Z
        at("2026-10-24T12:30", BERLIN), // 10:30Z
        at("2026-10-25T12:00", BERLIN)); // 11:00Z, 24h30m after the previous one
    assertThat(kept(Retention.policy().keepWithin(Duration.ofDays(1)).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN))
        .containsExactly(Map.entry("2026-10-24T12:30", "within 1d"), Map.entry("2026-10-25T12:00", "within 1d"));
    // a duration that is not a whole number of days is exact elapsed time
    assertThat(kept(Retention.policy().keepWithin(Duration.ofHours(25)).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN))
        .containsExactly(Map.entry("2026-10-24T12:30", "within 1d1h"), Map.entry("2026-10-25T12:00", "within 1d1h"));
    assertThat(kept(Retention.policy().keepWithin(Duration.ofHours(24).plusMinutes(29)).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN))
        .containsExactly(Map.entry("2026-10-25T12:00", "within 1d29m"));
  }

  @Test
  void handlesLeapDaysAndIsoWeeksAcrossYearEnds() {
    List<Snapshot> feb = List.of(
        at("2024-02-27T22:00", BERLIN), at("2024-02-28T22:00", BERLIN), at("2024-02-29T22:00", BERLIN),
        at("2024-02-29T23:59", BERLIN), at("2024-03-01T00:01", BERLIN), at("2024-03-02T22:00", BERLIN));
    assertThat(kept(Retention.policy().keepDaily(3).zone(BERLIN).apply(feb, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2024-02-29T23:59", "daily 3 of 3"),
        Map.entry("2024-03-01T00:01", "daily 2 of 3"),
        Map.entry("2024-03-02T22:00", "daily 1 of 3"));
    assertThat(kept(Retention.policy().keepMonthly(2).zone(BERLIN).apply(feb, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2024-02-29T23:59", "monthly 2 of 2"),
        Map.entry("2024-03-02T22:00", "monthly 1 of 2"));

    // 2024-12-29 is a Sunday of ISO week 52 of 2024; Monday 2024-12-30 starts week 1 of 2025
    List<Snapshot> yearEnd = List.of(
        at("2024-12-29T20:00", BERLIN), at("2024-12-30T20:00", BERLIN), at("2025-01-02T20:00", BERLIN));
    assertThat(kept(Retention.policy().keepWeekly(2).zone(BERLIN).apply(yearEnd, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2024-12-29T20:00", "weekly 2 of 2"),
        Map.entry("2025-01-02T20:00", "weekly 1 of 2"));
    // yearly in Berlin vs UTC: 00:30 on New Year's day in Berlin is still the old year in UTC
    List<Snapshot> newYear = List.of(at("2024-12-31T23:30", BERLIN), at("2025-01-01T00:30", BERLIN));
    assertThat(kept(Retention.policy().keepYearly(2).zone(BERLIN).apply(newYear, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2024-12-31T23:30", "yearly 2 of 2"), Map.entry("2025-01-01T00:30", "yearly 1 of 2"));
    // in UTC both are 2024: the older is kept only because a count is left ("oldest")
    assertThat(kept(Retention.policy().keepYearly(2).zone(ZoneOffset.UTC).apply(newYear, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2024-12-31T23:30", "oldest yearly"), Map.entry("2025-01-01T00:30", "yearly 1 of 2"));
    assertThat(Retention.policy().keepYearly(1).zone(ZoneOffset.UTC).apply(newYear, FAR_FUTURE).keep()).hasSize(1);
    assertThat(Retention.policy().keepYearly(1).zone(BERLIN).apply(newYear, FAR_FUTURE).keep()).hasSize(1);
  }

  @Test
  void countsOnlyPeriodsThatHaveSnapshotsSoGapsReachFurtherBack() {
    List<Snapshot> s = List.of(
        at("2026-01-01T10:00", BERLIN), at("2026-01-02T10:00", BERLIN), at("2026-01-03T10:00", BERLIN),
        at("2026-01-20T10:00", BERLIN), at("2026-01-21T10:00", BERLIN));
    assertThat(kept(Retention.policy().keepDaily(4).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN)).containsOnlyKeys(
        "2026-01-02T10:00", "2026-01-03T10:00", "2026-01-20T10:00", "2026-01-21T10:00");
    // keep-within-daily does not reach across the gap
    assertThat(kept(Retention.policy().keepWithinDaily(Duration.ofDays(7)).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN))
        .containsExactly(
            Map.entry("2026-01-20T10:00", "daily within 7d"), Map.entry("2026-01-21T10:00", "daily within 7d"));
  }

  @Test
  void keepsTheNewestOfSeveralSnapshotsADayAndTheOldestWhileCountsAreLeft() {
    List<Snapshot> s = new ArrayList<>();
    for (int day = 1; day <= 3; day++) {
      for (String time : List.of("06:00", "12:00", "18:00")) {
        s.add(at("2026-05-0" + day + "T" + time, BERLIN));
      }
    }
    assertThat(kept(Retention.policy().keepDaily(2).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2026-05-02T18:00", "daily 2 of 2"), Map.entry("2026-05-03T18:00", "daily 1 of 2"));
    // more days asked for than exist: the oldest snapshot is kept as well (restic >= 0.17)
    assertThat(kept(Retention.policy().keepDaily(5).zone(BERLIN).apply(s, FAR_FUTURE), BERLIN)).containsExactly(
        Map.entry("2026-05-01T06:00", "oldest daily"),
        Map.entry("2026-05-01T18:00", "daily 3 of 5"),
        Map.entry("2026-05-02T18:00", "daily 2 of 5"),
        Map.entry("2026-05-03T18:00", "daily 1 of 5"));
  }

  @Test
  void unlimitedKeepsTheNewestOfEveryPeriod() {
    List<Snapshot> s = new ArrayList<>();
    for (int month = 1; month <= 4; month++) {
      s.add(at("2026-0" + month + "-10T10:00", BERLIN));
      s.add(at("2026-0" + month + "-20T10:00", BERLIN));
    }
    RetentionPlan plan = Retention.policy().keepMonthly(Retention.UNLIMITED).keepLast(1).zone(BERLIN).apply(s, FAR_FUTURE);
    assertThat(kept(plan, BERLIN)).containsExactly(
        Map.entry("2026-01-10T10:00", "oldest monthly"),
        Map.entry("2026-01-20T10:00", "monthly 4 (unlimited)"),
        Map.entry("2026-02-20T10:00", "monthly 3 (unlimited)"),
        Map.entry("2026-03-20T10:00", "monthly 2 (unlimited)"),
        Map.entry("2026-04-20T10:00", "last 1 of 1, monthly 1 (unlimited)"));
  }

  @Test
  void appliesThePolicyToEachGroupSeparately() {
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    List<Snapshot> s = List.of(
        snapshot(t, "db1", "infra", List.of("files")),
        snapshot(t.plusSeconds(60), "db1", "infra", List.of("files")),
        snapshot(t.plusSeconds(120), "db2", "infra", List.of("files")),
        snapshot(t.plusSeconds(180), "db1", "infra", List.of("mysql", "files")),
        snapshot(t.plusSeconds(240), "db1", "other", List.of("files"), "prod"));
    RetentionPlan byDefault = Retention.policy().keepLast(1).apply(s, FAR_FUTURE);
    assertThat(byDefault.groups()).extracting(g -> g.key().describe()).containsExactly(
        "host db1, plan other, sources [files]",
        "host db1, plan infra, sources [files, mysql]",
        "host db2, plan infra, sources [files]",
        "host db1, plan infra, sources [files]");
    assertThat(byDefault.keep()).hasSize(4);
    assertThat(byDefault.remove()).containsExactly(s.get(0));

    RetentionPlan oneGroup = Retention.policy().keepLast(1).groupBy().apply(s, FAR_FUTURE);
    assertThat(oneGroup.groups()).singleElement().satisfies(g -> assertThat(g.key().describe()).isEqualTo("all snapshots"));
    assertThat(oneGroup.keep()).containsExactly(s.get(4));

    RetentionPlan byTags = Retention.policy().keepLast(1).groupBy(Retention.GroupBy.TAGS).apply(s, FAR_FUTURE);
    assertThat(byTags.groups()).extracting(g -> g.key().tags()).containsExactly(List.of("prod"), List.of());
    assertThat(byTags.keep()).containsExactly(s.get(4), s.get(3));
  }

  @Test
  void keepsTaggedSnapshotsWhateverTheirAge() {
    List<Snapshot> s = List.of(
        at("2020-01-01T10:00", BERLIN, "prod"),
        at("2020-02-01T10:00", BERLIN, "prod", "db"),
        at("2020-03-01T10:00", BERLIN),
        at("2026-11-01T10:00", BERLIN, "test"),
        at("2026-11-02T10:00", BERLIN, "test"));
    RetentionPlan plan = Retention.policy().keepLast(1).keepTag("prod").keepTag("db", "prod").keepTag("")
        .groupBy().zone(BERLIN).apply(s, FAR_FUTURE);
    assertThat(kept(plan, BERLIN)).containsExactly(
        Map.entry("2020-01-01T10:00", "tag prod"),
        Map.entry("2020-02-01T10:00", "tag prod, tags db,prod"),
        Map.entry("2020-03-01T10:00", "untagged"),
        Map.entry("2026-11-02T10:00", "last 1 of 1"));
  }

  @Test
  void refusesToRemoveAllSnapshotsOfAGroupUnlessAllowed() {
    List<Snapshot> s = List.of(at("2026-11-01T10:00", BERLIN), at("2026-11-02T10:00", BERLIN, "prod"));
    assertThatThrownBy(() -> Retention.policy().apply(s, FAR_FUTURE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no keep rule").hasMessageContaining("allowRemoveAll()");
    assertThat(Retention.policy().allowRemoveAll().apply(s, FAR_FUTURE).remove()).hasSize(2);
    // keep-last 0 is "off", as in restic: still an empty policy
    assertThatThrownBy(() -> Retention.policy().keepLast(0).apply(s, FAR_FUTURE)).isInstanceOf(ConfigurationException.class);

    Retention tagOnly = Retention.policy().keepTag("prod").groupBy(Retention.GroupBy.TAGS);
    assertThatThrownBy(() -> tagOnly.apply(s, FAR_FUTURE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("would remove all 1 snapshots of the group tags []");
    assertThat(tagOnly.allowRemoveAll().apply(s, FAR_FUTURE).keep()).containsExactly(s.get(1));
  }

  @Test
  void aSnapshotInTheFutureDoesNotCountAsTheOneAGroupKeeps() {
    Instant now = Instant.parse("2026-11-28T12:00:00Z");
    Snapshot past1 = atInstant("2026-11-27T12:00:00Z");
    Snapshot past2 = atInstant("2026-11-28T11:00:00Z");
    Snapshot future = atInstant("2027-01-01T00:00:00Z");
    // a tag-only policy that matches nothing real: kept only the future-dated one, removed every real backup
    assertThatThrownBy(() -> Retention.policy().keepTag("pinned").apply(List.of(past1, past2, future), now))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("would remove all 2 snapshots").hasMessageContaining("dated in the future");
    assertThat(Retention.policy().keepTag("pinned").allowRemoveAll().apply(List.of(past1, past2, future), now).remove())
        .containsExactlyInAnyOrder(past1, past2);
  }

  @Test
  void keepsFutureSnapshotsWithoutCountingThem() {
    Instant now = Instant.parse("2026-11-28T12:00:00Z");
    Snapshot past1 = atInstant("2026-11-27T12:00:00Z");
    Snapshot past2 = atInstant("2026-11-28T11:00:00Z");
    Snapshot future = atInstant("2027-01-01T00:00:00Z");
    RetentionPlan plan = Retention.policy().keepLast(1).keepWithin(Duration.ofHours(2)).apply(List.of(past1, past2, future), now);
    assertThat(plan.decisions()).extracting(d -> d.snapshot(), Decision::keep, Decision::reasons).containsExactly(
        org.assertj.core.groups.Tuple.tuple(future, true, List.of("in the future")),
        org.assertj.core.groups.Tuple.tuple(past2, true, List.of("within 2h", "last 1 of 1")),
        org.assertj.core.groups.Tuple.tuple(past1, false, List.of()));
  }

  @Test
  void keepWithinCountsBackFromTheNewestSnapshotNotFromNow() {
    // backups stopped months ago: keep-within must not then remove the whole history
    List<Snapshot> s = List.of(
        atInstant("2026-01-01T00:00:00Z"), atInstant("2026-01-25T00:00:00Z"), atInstant("2026-01-30T00:00:00Z"));
    RetentionPlan plan = Retention.policy().keepWithin(Duration.ofDays(7)).zone(ZoneOffset.UTC)
        .apply(s, Instant.parse("2026-11-28T00:00:00Z"));
    assertThat(kept(plan, ZoneOffset.UTC)).containsOnlyKeys("2026-01-25T00:00", "2026-01-30T00:00");
    // restic: within means strictly after the window start
    RetentionPlan edge = Retention.policy().keepWithin(Duration.ofDays(5)).zone(ZoneOffset.UTC)
        .apply(s, Instant.parse("2026-11-28T00:00:00Z"));
    assertThat(kept(edge, ZoneOffset.UTC)).containsOnlyKeys("2026-01-30T00:00");
  }

  @Test
  void withinPeriodRulesKeepOnePerPeriodInsideTheWindow() {
    List<Snapshot> s = new ArrayList<>();
    for (LocalDate d = LocalDate.of(2026, 9, 1); !d.isAfter(LocalDate.of(2026, 11, 28)); d = d.plusDays(1)) {
      s.add(at(d + "T01:00", BERLIN));
      s.add(at(d + "T13:00", BERLIN));
    }
    RetentionPlan plan = Retention.policy()
        .keepWithinDaily(Duration.ofDays(3))
        .keepWithinWeekly(Duration.ofDays(14))
        .keepWithinMonthly(Duration.ofDays(60))
        .keepWithinHourly(Duration.ofHours(13))
        .keepWithinYearly(Duration.ofDays(365))
        .zone(BERLIN).apply(s, FAR_FUTURE);
    assertThat(kept(plan, BERLIN)).containsExactly(
        // monthly within 60d: September is outside the window start 2026-09-29T13:00 except its last days
        Map.entry("2026-09-30T13:00", "monthly within 60d"),
        Map.entry("2026-10-31T13:00", "monthly within 60d"),
        // weekly within 14d: window starts 2026-11-14T13:00 (Saturday of week 46)
        Map.entry("2026-11-15T13:00", "weekly within 14d"),
        Map.entry("2026-11-22T13:00", "weekly within 14d"),
        // daily within 3d: window starts 2026-11-25T13:00, exclusive
        Map.entry("2026-11-26T13:00", "daily within 3d"),
        Map.entry("2026-11-27T13:00", "daily within 3d"),
        Map.entry("2026-11-28T01:00", "hourly within 13h"),
        Map.entry("2026-11-28T13:00", "hourly within 13h, daily within 3d, weekly within 14d, monthly within 60d, yearly within 365d"));
  }

  @Test
  void resultDoesNotDependOnInputOrder() {
    List<Snapshot> s = new ArrayList<>();
    Instant t = Instant.parse("2026-11-01T10:00:00Z");
    for (int i = 0; i < 10; i++) {
      s.add(snapshot(t)); // ten snapshots with one timestamp
    }
    Retention p = Retention.policy().keepLast(3);
    List<Snapshot> reversed = new ArrayList<>(s);
    Collections.reverse(reversed);
    assertThat(p.apply(reversed, FAR_FUTURE).keep()).isEqualTo(p.apply(s, FAR_FUTURE).keep()).hasSize(3);
  }

  @Test
  void rejectsInvalidSettingsNamingTheOption() {
    assertThatThrownBy(() -> Retention.policy().keepDaily(-2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepDaily");
    assertThatThrownBy(() -> Retention.policy().keepWithinWeekly(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepWithinWeekly");
    assertThatThrownBy(() -> Retention.policy().keepTag())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepTag");
  }

  @Test
  void isAnImmutableValueWithAReadableDescription() {
    Retention base = Retention.policy().keepDaily(7).zone(BERLIN);
    Retention more = base.keepWeekly(4).keepTag("prod").keepWithin(Duration.ofDays(30)).keepWithinMonthly(Duration.ofDays(365));
    assertThat(base.weekly()).isZero();
    assertThat(more.weekly()).isEqualTo(4);
    assertThat(more).isEqualTo(base.keepWeekly(4).keepTag("prod").keepWithin(Duration.ofDays(30)).keepWithinMonthly(Duration.ofDays(365)))
        .hasSameHashCodeAs(base.keepWeekly(4).keepTag("prod").keepWithin(Duration.ofDays(30)).keepWithinMonthly(Duration.ofDays(365)))
        .isNotEqualTo(base);
    assertThat(more.toString()).isEqualTo("keep 7 daily, 4 weekly snapshots, monthly snapshots within 365d,"
        + " all snapshots tagged prod, all snapshots within 30d of the newest; grouped by host, plan, source;"
        + " periods in Europe/Berlin");
    assertThat(Retention.policy().keepYearly(Retention.UNLIMITED).groupBy().zone(ZoneOffset.UTC).toString())
        .isEqualTo("keep all yearly snapshots; one group; periods in Z");
  }

  @Test
  void longestKeptBoundsTheAgeOfKeptSnapshots() {
    Duration day = Duration.ofDays(1);
    assertThat(Retention.policy().keepLast(7).longestKept(day)).contains(Duration.ofDays(6));
    assertThat(Retention.policy().keepDaily(7).keepWeekly(4).longestKept(day)).contains(Duration.ofDays(28).plusHours(4));
    assertThat(Retention.policy().keepMonthly(12).longestKept(Duration.ofDays(30))).contains(Duration.ofDays(372).plusHours(12));
    assertThat(Retention.policy().keepWithin(Duration.ofDays(30)).longestKept(day)).contains(Duration.ofDays(31));
    assertThat(Retention.policy().keepTag("prod").longestKept(day)).contains(Duration.ZERO);
    assertThat(Retention.policy().keepYearly(Retention.UNLIMITED).longestKept(day)).isEmpty();
    assertThat(Retention.policy().keepLast(Retention.UNLIMITED).longestKept(day)).isEmpty();
  }
}
