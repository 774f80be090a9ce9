package dev.cairn.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable scheduler that runs jobs (typically {@code plan::backup}) on {@link Schedule}s: an
 * application builds one, {@link #start() starts} it and {@link #stop() stops} it. Thread-safe.
 *
 * <ul>
 *   <li>No overlapping runs: a job that is still running when it is due again is skipped for that
 *       time (logged at WARN), never run twice at once.
 *   <li>Missed runs are caught up once at start: if the job's last run (as its {@code lastRun} supplier
 *       reports, e.g. the newest snapshot's time) is older than the schedule's last due time, the job
 *       runs once right away — however many runs were missed.
 *   <li>Time comes from the injected {@link Clock}; wake-ups from the injected
 *       {@link ScheduledExecutorService}. The scheduler re-reads the clock on every wake-up (at most
 *       {@link Builder#maxSleep(Duration)} apart), so clock jumps and suspended machines are handled,
 *       and daylight saving time is handled by {@link Schedule}.
 *   <li>{@link #runDue()} runs what is due now without any timer: the hook for tests with a fake clock,
 *       and for driving a plan from cron or a systemd timer.
 * </ul>
 *
 * <pre>{@code
 * Scheduler scheduler = Scheduler.builder()
 *     .job("infra", Schedule.cron("0 2 * * *"), plan::backup, () -> plan.lastBackupTime())
 *     .build();
 * scheduler.start();
 * ...
 * scheduler.stop();
 * }</pre>
 *
 * <p>The scheduler shuts down only executors it created. A job that throws is logged and runs again
 * at its next due time.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final boolean ownsTimer;
  private final Executor runner;
  private final Duration maxSleep;
  private final Map<String, Job> jobs;
  private final Object lock = new Object();
  private boolean started;
  private boolean stopped;
  private ScheduledFuture<?> wakeUp;

  private Scheduler(Builder b) {
    this.clock = b.clock;
    this.ownsTimer = b.timer == null;
    if (b.timer != null) {
      this.timer = b.timer;
    } else {
      ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "cairn-scheduler");
        t.setDaemon(true);
        return t;
      });
      own.setRemoveOnCancelPolicy(true);
      this.timer = own;
    }
    this.runner = b.runner != null ? b.runner : timer;
    this.maxSleep = b.maxSleep;
    this.jobs = new LinkedHashMap<>();
    for (Job j : b.jobs) {
      jobs.put(j.name, j);
    }
  }

  /** A builder with the system UTC clock, a private timer thread and at most 1 minute between wake-ups. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the scheduler: jobs that missed a run catch up once, now; then every job runs when due.
   *
   * @throws IllegalStateException if already started or stopped
   */
  public void start() {
    synchronized (lock) {
      if (started || stopped) {
        throw new IllegalStateException("a scheduler starts once; build a new one to restart");
      }
      started = true;
      Instant now = clock.instant();
      for (Job j : jobs.values()) {
        j.next = j.firstDue(now);
      }
    }
    runDue();
  }

  /**
   * Runs every job whose due time has come on the clock, then plans the next wake-up (when started).
   * Without {@link #start()}, each job's first due time is computed on the first call, catching up a
   * missed run once as {@code start()} does. Jobs run on the runner executor; a job still running is
   * not started again.
   *
   * @return the names of the jobs started by this call
   */
  public List<String> runDue() {
    List<String> startedJobs = new ArrayList<>();
    synchronized (lock) {
      if (stopped) {
        return startedJobs;
      }
      Instant now = clock.instant();
      for (Job j : jobs.values()) {
        if (j.next == null) {
          j.next = j.firstDue(now);
        }
        if (j.next.isAfter(now)) {
          continue;
        }
        Instant due = j.next;
        j.next = j.schedule.nextAfter(now);
        if (!j.running.compareAndSet(false, true)) {
          LOG.warn("job {} due at {} skipped: its previous run is still going", j.name, due);
          j.skipped++;
          continue;
        }
        try {
          runner.execute(() -> j.run(clock));
          startedJobs.add(j.name);
        } catch (RejectedExecutionException e) {
          j.running.set(false);
          LOG.warn("job {} due at {} not started: the executor refused it ({})", j.name, due, e.toString());
        }
      }
      if (started) {
        planWakeUp(now);
      }
    }
    return startedJobs;
  }

  private void planWakeUp(Instant now) {
    Instant earliest = null;
    for (Job j : jobs.values()) {
      if (earliest == null || j.next.isBefore(earliest)) {
        earliest = j.next;
      }
    }
    Duration delay = earliest == null ? maxSleep : Duration.between(now, earliest);
    if (delay.compareTo(maxSleep) > 0) {
      delay = maxSleep;
    }
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    if (wakeUp != null) {
      wakeUp.cancel(false);
    }
    try {
      wakeUp = timer.schedule(this::runDue, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.warn("scheduler timer refused the next wake-up; the scheduler stops ({})", e.toString());
      stopped = true;
    }
  }

  /**
   * Stops planning runs; runs in progress finish on their own. Idempotent. Shuts the timer down only if
   * the scheduler created it.
   */
  public void stop() {
    synchronized (lock) {
      stopped = true;
      if (wakeUp != null) {
        wakeUp.cancel(false);
      }
    }
    if (ownsTimer) {
      timer.shutdown();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The next due time of job {@code name}, if it is known (after {@link #start()} or {@link #runDue()}). */
  public Optional<Instant> nextRun(String name) {
    synchronized (lock) {
      Job j = job(name);
      return Optional.ofNullable(j.next);
    }
  }

  /** True while job {@code name} is running. */
  public boolean isRunning(String name) {
    return job(name).running.get();
  }

  /** How many due runs of job {@code name} were skipped because the previous run was still going. */
  public int skippedRuns(String name) {
    synchronized (lock) {
      return job(name).skipped;
    }
  }

  private Job job(String name) {
    Job j = jobs.get(name);
    if (j == null) {
      throw new IllegalArgumentException("no job named '" + name + "'; jobs: " + jobs.keySet());
    }
    return j;
  }

  private static final class Job {
    final String name;
    final Schedule schedule;
    final Runnable task;
    final Supplier<Optional<Instant>> lastRun;
    final AtomicBoolean running = new AtomicBoolean();
    volatile Instant lastStart;
    Instant next;
    int skipped;

    Job(String name, Schedule schedule, Runnable task, Supplier<Optional<Instant>> lastRun) {
      this.name = name;
      this.schedule = schedule;
      this.task = task;
      this.lastRun = lastRun;
    }

    /** Now, if a run was missed since the last one (caught up once), else the next due time. */
    Instant firstDue(Instant now) {
      Optional<Instant> last;
      try {
        last = Optional.ofNullable(lastStart).or(lastRun);
      } catch (RuntimeException e) {
        // the last run cannot be looked up (the repository unreachable at start): whether a run was missed
        // is unknown, so run once now rather than not start the schedule, or wait and perhaps miss the RPO
        LOG.warn("job {}: cannot tell when it last ran ({}); running it now", name, e.getMessage());
        return now;
      }
      if (last.isPresent()) {
        Instant dueSinceLast = schedule.nextAfter(last.get());
        if (dueSinceLast != null && !dueSinceLast.isAfter(now)) {
          LOG.info("job {} missed its run due at {} (last run {}): catching up once now", name, dueSinceLast,
              last.get());
          return now;
        }
      }
      return schedule.nextAfter(now);
    }

    void run(Clock clock) {
      lastStart = clock.instant();
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        LOG.error("job {} failed; it runs again at its next due time", name, e);
      } finally {
        running.set(false);
      }
    }
  }

  /** Builds a {@link Scheduler}. Mutable, single-threaded; each option settable once. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService timer;
    private Executor runner;
    private Duration maxSleep = Duration.ofMinutes(1);
    private final List<Job> jobs = new ArrayList<>();
    private boolean clockSet;

    private Builder() {}

    /** The clock read for due times; default the system UTC clock. */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      if (clockSet) {
        throw new IllegalStateException("clock is already set");
      }
      clockSet = true;
      this.clock = clock;
      return this;
    }

    /**
     * The executor that wakes the scheduler up; default a private daemon thread, shut down by stop().
     * A {@link ScheduledThreadPoolExecutor} given here should have its remove-on-cancel policy set.
     */
    public Builder timer(ScheduledExecutorService timer) {
      Objects.requireNonNull(timer, "timer");
      if (this.timer != null) {
        throw new IllegalStateException("timer is already set");
      }
      this.timer = timer;
      return this;
    }

    /** The executor jobs run on; default the timer (jobs then run one at a time). */
    public Builder runner(Executor runner) {
      Objects.requireNonNull(runner, "runner");
      if (this.runner != null) {
        throw new IllegalStateException("runner is already set");
      }
      this.runner = runner;
      return this;
    }

    /** The longest time between two looks at the clock; default 1 minute. */
    public Builder maxSleep(Duration maxSleep) {
      Objects.requireNonNull(maxSleep, "maxSleep");
      if (maxSleep.isNegative() || maxSleep.isZero()) {
        throw new IllegalArgumentException("maxSleep must be positive, got " + maxSleep);
      }
      this.maxSleep = maxSleep;
      return this;
    }

    /** Adds a job with no memory of earlier runs (nothing to catch up at start). */
    public Builder job(String name, Schedule schedule, Runnable task) {
      return job(name, schedule, task, Optional::empty);
    }

    /**
     * Adds a job.
     *
     * @param name unique job name, for logs
     * @param schedule when it runs
     * @param task what runs
     * @param lastRun when it last ran before this scheduler started (e.g. the newest snapshot's time),
     *     used to catch up a missed run once at start
     * @throws IllegalArgumentException if a job of that name exists
     */
    public Builder job(String name, Schedule schedule, Runnable task, Supplier<Optional<Instant>> lastRun) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(lastRun, "lastRun");
      if (jobs.stream().anyMatch(j -> j.name.equals(name))) {
        throw new IllegalArgumentException("job '" + name + "' is already scheduled");
      }
      jobs.add(new Job(name, schedule, task, lastRun));
      return this;
    }

    /**
     * Builds the scheduler (not started).
     *
     * @throws IllegalStateException if no job was added
     */
    public Scheduler build() {
      if (jobs.isEmpty()) {
        throw new IllegalStateException("a scheduler needs at least one job: call job(name, schedule, task)");
      }
      return new Scheduler(this);
    }
  }
}
