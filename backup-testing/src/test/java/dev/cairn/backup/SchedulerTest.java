package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Drives the scheduler with a {@link MutableClock} and {@link Scheduler#runDue()}: no sleeping. */
class SchedulerTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** Runs submitted jobs only when the test says so: a job "still running" is one left in the queue. */
  private static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
      queue.add(command);
    }

    void runAll() {
      while (!queue.isEmpty()) {
        queue.poll().run();
      }
    }
  }

  /** Advances the clock in steps, calling runDue() after each, as the timer thread would. */
  private static void advance(MutableClock clock, Scheduler s, Duration total, Duration step) {
    for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
      clock.advance(step);
      s.runDue();
    }
  }

  @Test
  void runsTheJobAtEachDueTime() {
    MutableClock clock = MutableClock.at("2026-11-27T12:00:00Z");
    List<Instant> runs = new ArrayList<>();
    Scheduler s = Scheduler.builder().clock(clock).runner(Runnable::run)
        .job("infra", Schedule.cron("0 2 * * *", ZoneOffset.UTC), () -> runs.add(clock.instant()))
        .build();
    assertThat(s.runDue()).isEmpty();
    assertThat(s.nextRun("infra")).contains(Instant.parse("2026-11-28T02:00:00Z"));
    advance(clock, s, Duration.ofDays(3), Duration.ofMinutes(10));
    assertThat(runs).containsExactly(Instant.parse("2026-11-28T02:00:00Z"), Instant.parse("2026-11-29T02:00:00Z"),
        Instant.parse("2026-11-30T02:00:00Z"));
  }

  @Test
  void aLastRunThatCannotBeLookedUpRunsTheJobOnceNowAndKeepsTheSchedule() {
    MutableClock clock = MutableClock.at("2026-11-27T12:00:00Z");
    List<Instant> runs = new ArrayList<>();
    Scheduler s = Scheduler.builder().clock(clock).runner(Runnable::run)
        .job("infra", Schedule.cron("0 2 * * *", ZoneOffset.UTC), () -> runs.add(clock.instant()), () -> {
          throw new StorageException("s3://backups: connection refused", false);   // unreachable at start
        })
        .build();
    s.start();
    try {
      advance(clock, s, Duration.ofDays(1), Duration.ofMinutes(10));
      assertThat(runs).containsExactly(Instant.parse("2026-11-27T12:00:00Z"), Instant.parse("2026-11-28T02:00:00Z"));
    } finally {
      s.close();
    }
  }

  @Test
  void neverOverlapsRunsOfOneJob() {
    MutableClock clock = MutableClock.at("2026-11-28T00:00:00Z");
    ManualExecutor runner = new ManualExecutor();
    int[] runs = {0};
    Scheduler s = Scheduler.builder().clock(clock).runner(runner)
        .job("infra", Schedule.every(Duration.ofHours(1)), () -> runs[0]++)
        .build();
    s.runDue();
    clock.advance(Duration.ofHours(1));
    assertThat(s.runDue()).containsExactly("infra");
    assertThat(s.isRunning("infra")).isTrue();
    // still running an hour later: the due run is skipped, not started a second time
    clock.advance(Duration.ofHours(1));
    assertThat(s.runDue()).isEmpty();
    assertThat(runner.queue).hasSize(1);
    assertThat(s.skippedRuns("infra")).isEqualTo(1);
    runner.runAll();
    assertThat(s.isRunning("infra")).isFalse();
    clock.advance(Duration.ofHours(1));
    assertThat(s.runDue()).containsExactly("infra");
    runner.runAll();
    assertThat(runs[0]).isEqualTo(2);
  }

  @Test
  void missedRunsAreCaughtUpOnceAtStart() {
    MutableClock clock = MutableClock.at("2026-11-28T09:00:00Z");
    List<Instant> runs = new ArrayList<>();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    timer.setRemoveOnCancelPolicy(true);
    try {
      // the last backup was three days ago: three daily runs were missed
      Scheduler s = Scheduler.builder().clock(clock).timer(timer).runner(Runnable::run)
          .job("infra", Schedule.cron("0 2 * * *", ZoneOffset.UTC), () -> runs.add(clock.instant()),
              () -> Optional.of(Instant.parse("2026-11-25T02:00:00Z")))
          .build();
      s.start();
      assertThat(runs).containsExactly(Instant.parse("2026-11-28T09:00:00Z"));
      assertThat(s.nextRun("infra")).contains(Instant.parse("2026-11-29T02:00:00Z"));
      // nothing more until the next due time
      advance(clock, s, Duration.ofHours(16), Duration.ofMinutes(30));
      assertThat(runs).hasSize(1);
      advance(clock, s, Duration.ofHours(1), Duration.ofMinutes(30));
      assertThat(runs).containsExactly(Instant.parse("2026-11-28T09:00:00Z"), Instant.parse("2026-11-29T02:00:00Z"));
      // the timer holds exactly one wake-up, no later than maxSleep (1 minute) away
      assertThat(timer.getQueue()).hasSize(1);
      assertThat(((Delayed) timer.getQueue().peek()).getDelay(TimeUnit.SECONDS)).isBetween(0L, 60L);
      s.stop();
      assertThat(timer.getQueue()).isEmpty();
      // an injected timer is not shut down by the scheduler
      assertThat(timer.isShutdown()).isFalse();
      clock.advance(Duration.ofDays(2));
      assertThat(s.runDue()).isEmpty();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void upToDateJobIsNotRunAtStart() {
    MutableClock clock = MutableClock.at("2026-11-28T09:00:00Z");
    int[] runs = {0};
    Scheduler s = Scheduler.builder().clock(clock).runner(Runnable::run)
        .job("infra", Schedule.cron("0 2 * * *", ZoneOffset.UTC), () -> runs[0]++,
            () -> Optional.of(Instant.parse("2026-11-28T02:00:05Z")))
        .build();
    s.runDue();
    assertThat(runs[0]).isZero();
  }

  @Test
  void dailyJobRunsOnceADayAcrossDaylightSavingChanges() {
    // Berlin: spring forward on 2026-03-29 (02:30 does not exist), fall back on 2026-10-25 (02:30 twice)
    MutableClock clock = MutableClock.at("2026-03-27T12:00:00Z");
    assertThat(localRunsOverThreeDays(clock)).containsExactly(
        "2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00");
    clock.set(Instant.parse("2026-10-23T12:00:00Z"));
    assertThat(localRunsOverThreeDays(clock)).containsExactly(
        "2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00");
  }

  private static List<String> localRunsOverThreeDays(MutableClock clock) {
    List<String> runs = new ArrayList<>();
    Scheduler s = Scheduler.builder().clock(clock).runner(Runnable::run)
        .job("infra", Schedule.cron("30 2 * * *", BERLIN),
            () -> runs.add(clock.instant().atZone(BERLIN).toOffsetDateTime().toString()))
        .build();
    s.runDue();
    advance(clock, s, Duration.ofDays(3), Duration.ofMinutes(15));
    return runs;
  }

  @Test
  void aFailingJobRunsAgainNextTime() {
    MutableClock clock = MutableClock.at("2026-11-28T00:00:00Z");
    int[] attempts = {0};
    Scheduler s = Scheduler.builder().clock(clock).runner(Runnable::run)
        .job("flaky", Schedule.every(Duration.ofHours(1)), () -> {
          attempts[0]++;
          throw new StorageException("offsite unreachable", false);
        })
        .build();
    s.runDue();
    advance(clock, s, Duration.ofHours(3), Duration.ofMinutes(20));
    assertThat(attempts[0]).isEqualTo(3);
    assertThat(s.isRunning("flaky")).isFalse();
  }

  @Test
  void builderRejectsMisuse() {
    assertThatThrownBy(() -> Scheduler.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one job");
    Runnable r = () -> { };
    assertThatThrownBy(() -> Scheduler.builder().job("a", Schedule.daily(), r).job("a", Schedule.daily(), r))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
    Scheduler s = Scheduler.builder().job("a", Schedule.daily(), r).build();
    s.start();
    assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
    s.stop();
    s.stop();
  }
}
