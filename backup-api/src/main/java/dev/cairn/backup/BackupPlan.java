package dev.cairn.backup;

import dev.cairn.backup.internal.plan.DrillRunner;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceFactory.ScratchRestorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What to back up, where, and how: sources, a target repository, encryption, compression, chunk
 * sizes, host and tags recorded in snapshots, usability checks run before each backup, a clock, the
 * worker threads and a progress listener. Operations: {@link #init()}, {@link #backup()},
 * {@link #snapshots()}, {@link #restore(RestoreRequest)}, {@link #verify(boolean)}, {@link #drill()}
 * (restore into scratch and verify, timed against the RTO) and {@link #health()} (RPO/RTO status).
 * {@link PlanHooks} run around each backup.
 *
 * <p>A runnable example (Java 17, only {@code backup-api} on the class path):
 *
 * <pre>{@code
 * import dev.cairn.backup.*;
 * import java.nio.file.*;
 *
 * public class Nightly {
 *   public static void main(String[] args) {
 *     BackupPlan plan = BackupPlan.builder()
 *         .name("infra")
 *         .source(FileSource.of(Path.of(args[0]))                      // e.g. /etc/ansible
 *             .include("group_vars/all.yaml", "roles/*}{@code /tasks/main.yaml"))
 *         .source(StreamSource.command("system", "uname.txt", java.util.List.of("uname", "-a")))
 *         .target(Target.of("local", Storages.local(Path.of("target/backup-repo"))))
 *         .encryption(Encryption.passphrase(() -> Secret.of(System.getenv("CAIRN_PASSWORD"))))
 *         .compression(Compression.zstd(3))
 *         .addTag("nightly")
 *         .createRepository(true)            // create the repository on the first run
 *         .progress(p -> System.err.printf("%d files, %d bytes%n", p.files(), p.bytes()))
 *         .build();
 *     BackupReport report = plan.backup();
 *     System.out.println("snapshot " + report.snapshotId().shortHex() + ": " + report.files() + " files, "
 *         + report.bytesNew() + " new bytes");
 *     RestoreReport restored = plan.restore(RestoreRequest.builder()
 *         .snapshot("latest").destination(Path.of("target/restored")).overwrite(true).build());
 *     VerifyReport verified = plan.verify(true);
 *     System.out.println("restore verified: " + restored.verified() + ", repository ok: " + verified.ok());
 *   }
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe: build once, share. Each operation opens the target repository (asking
 * the {@link Encryption} for the passphrase) and closes it when done; the plan never closes the
 * {@link dev.cairn.backup.spi.Storage} it was given. After each backup the plan copies the snapshot to
 * the {@link Builder#copyTo(Rotation, Schedule) copy targets} that are due and applies every receiving
 * target's {@link Target#retention() retention} (and prune); a plan that declares {@link
 * Builder#objectives objectives} is proven against them when it is built.
 */
public final class BackupPlan {
  private final String name;
  private final List<Source> sources;
  private final Target target;
  private final Encryption encryption;
  private final Compression compression;
  private final Chunking chunking;
  private final String host;
  private final List<String> tags;
  private final List<Check> checks;
  private final Clock clock;
  private final Executor executor;
  private final int workers;
  private final ProgressListener progress;
  private final boolean createRepository;
  private final PlanHooks hooks;
  private final Duration rpo;
  private final Duration rto;
  private final Path drillDirectory;
  private final Path drillReports;
  private final Map<String, Function<Path, ScratchRestorer>> drillRestorers;
  private final List<PlanCopies.CopyTarget> copyTargets;
  private final Schedule schedule;
  private final List<ObjectiveViolation> objectiveViolations;
  private final ObjectivesPolicy objectivesPolicy;

  /** What {@link Builder#build()} does when the plan cannot meet its objectives. */
  public enum ObjectivesPolicy {
    /** Refuse to build, with a {@link ConfigurationException} naming each objective missed (the default). */
    FAIL,
    /** Build, log a warning, and list the violations in {@link BackupPlan#objectiveViolations()}. */
    WARN
  }

  private BackupPlan(Builder b, List<ObjectiveViolation> violations) {
    this.name = b.name;
    this.sources = List.copyOf(b.sources);
    this.target = b.target;
    this.encryption = b.encryption;
    this.compression = b.compression;
    this.chunking = b.chunking;
    this.host = b.host == null ? BackupOptions.localHost() : b.host;
    this.tags = List.copyOf(b.tags);
    this.checks = List.copyOf(b.checks);
    this.clock = b.clock;
    this.executor = b.executor;
    this.workers = b.workers;
    this.progress = b.progress;
    this.createRepository = b.createRepository;
    this.hooks = b.hooks;
    this.rpo = b.rpo;
    this.rto = b.rto;
    this.drillDirectory = b.drillDirectory;
    this.drillReports = b.drillReports;
    this.drillRestorers = Map.copyOf(b.drillRestorers);
    this.copyTargets = List.copyOf(b.copyTargets);
    this.schedule = b.schedule;
    this.objectiveViolations = List.copyOf(violations);
    this.objectivesPolicy = b.objectivesPolicy;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this plan's settings, to make a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.sources.addAll(sources);
    b.target = target;
    b.encryption = encryption;
    b.compression = compression;
    b.chunking = chunking;
    b.host = host;
    b.tags.addAll(tags);
    b.checks.addAll(checks);
    b.clock = clock;
    b.executor = executor;
    b.workers = workers;
    b.progress = progress;
    b.createRepository = createRepository;
    b.hooks = hooks;
    b.rpo = rpo;
    b.rto = rto;
    b.drillDirectory = drillDirectory;
    b.drillReports = drillReports;
    b.drillRestorers.putAll(drillRestorers);
    b.copyTargets.addAll(copyTargets);
    b.schedule = schedule;
    b.objectivesPolicy = objectivesPolicy;
    return b;
  }

  /** The plan's name, recorded in its snapshots. */
  public String name() {
    return name;
  }

  /** The sources, in backup order. */
  public List<Source> sources() {
    return sources;
  }

  /** The target repository every backup goes to. */
  public Target target() {
    return target;
  }

  /** The host recorded in snapshots. */
  public String host() {
    return host;
  }

  /** The tags recorded in snapshots. */
  public List<String> tags() {
    return tags;
  }

  /** The usability checks run before each backup. */
  public List<Check> checks() {
    return checks;
  }

  /** The compression for new data. */
  public Compression compression() {
    return compression;
  }

  /** The chunk sizes used when this plan creates its repository. */
  public Chunking chunking() {
    return chunking;
  }

  /** The clock giving snapshot times. */
  public Clock clock() {
    return clock;
  }

  /** When backups run (the primary target's schedule), if set; used to prove the RPO at build time. */
  public Optional<Schedule> schedule() {
    return Optional.ofNullable(schedule);
  }

  /**
   * The objectives this plan's configuration cannot meet, found at {@link Builder#build()}; empty when it
   * meets them all or declares none. Non-empty only for plans built with {@link ObjectivesPolicy#WARN}.
   */
  public List<ObjectiveViolation> objectiveViolations() {
    return objectiveViolations;
  }

  /** The hooks run around each backup ({@link PlanHooks#NONE} if none). */
  public PlanHooks hooks() {
    return hooks;
  }

  /** The recovery point objective, if set. */
  public Optional<Duration> rpo() {
    return Optional.ofNullable(rpo);
  }

  /** The recovery time objective, if set. */
  public Optional<Duration> rto() {
    return Optional.ofNullable(rto);
  }

  /** Where drill reports are written and read back by {@link #health()}, if set. */
  public Optional<Path> drillReports() {
    return Optional.ofNullable(drillReports);
  }

  /**
   * Creates the target repository.
   *
   * @throws ConfigurationException if the target already holds a repository
   */
  public void init() {
    repositoryBuilder().init().close();
  }

  /**
   * Opens the target repository (creating it if the plan allows and it is missing); the caller
   * closes it.
   *
   * @throws RepositoryNotFoundException if there is no repository and the plan does not create one
   * @throws WrongPassphraseException if the passphrase opens no key slot
   */
  public Repository openRepository() {
    Repository.Builder b = repositoryBuilder();
    return createRepository ? b.openOrInit() : b.open();
  }

  private Repository.Builder repositoryBuilder() {
    return repositoryBuilder(target.storage(), encryption);
  }

  private Repository.Builder repositoryBuilder(dev.cairn.backup.spi.Storage storage, Encryption encryption) {
    Repository.Builder b = Repository.builder(storage)
        .passphrase((encryption == null ? this.encryption : encryption).resolvePassphrase())
        .compression(compression)
        .chunking(chunking)
        .clock(clock)
        .host(host);
    if (workers > 0) {
      b.workers(workers);
    }
    if (executor != null) {
      b.executor(executor);
    }
    return b;
  }

  /**
   * Runs the checks and backs up every source into the target; the snapshot records the plan's
   * name, host, tags and check outcomes. Then copies the new snapshot to each {@link
   * Builder#copyTo(Rotation, Schedule) copy target} whose schedule has fired since its newest copy
   * (judged with the plan's clock); the report's {@link BackupReport#copies()} say which targets
   * received it. A failed copy is reported there, not thrown: the backup itself succeeded. Every
   * target that received the snapshot and has a {@link Target#retention() retention policy} then has it
   * applied to this plan's snapshots (forget, then prune if the target {@link Target#prune() prunes}),
   * reported in {@link BackupReport#retention()} — also not thrown when it fails.
   *
   * @throws BackupException if a check with policy ABORT fails (no snapshot is written)
   * @throws SourceException if a source fails (no snapshot is written)
   */
  public BackupReport backup() {
    Instant started = clock.instant();
    HookEvent before = new HookEvent(name, "backup", started, "", Map.of("target", target.name()));
    try {
      hooks.beforeBackup(before);
    } catch (Exception e) {
      BackupException failure = new BackupException("before-backup hook of plan '" + name
          + "' failed, backup aborted, no snapshot written: " + e.getMessage(), e);
      onFailure(before, failure);
      throw failure;
    }
    BackupReport report;
    try {
      BackupOptions options = BackupOptions.builder().plan(name).host(host).tags(tags).checks(checks)
          .clock(clock).progress(progress).build();
      try (Repository repo = openRepository()) {
        report = repo.backup(sources, options, target.name());
        List<RetentionReport> retention = new ArrayList<>();
        RetentionReport primaryRetention = PlanRetention.apply(repo, target, name);
        if (primaryRetention != null) {
          retention.add(primaryRetention);
        }
        if (!copyTargets.isEmpty()) {
          report = report.withCopies(PlanCopies.run(copyTargets, repo, report.snapshot(), name, host, clock,
              createRepository, this::repositoryBuilder, progress, retention));
        }
        report = report.withRetention(retention);
      }
    } catch (RuntimeException | Error e) {
      onFailure(before, e);
      throw e;
    }
    HookEvent after = new HookEvent(name, "backup", started, report.snapshotId().hex(), Map.of(
        "target", target.name(), "files", Long.toString(report.files()), "bytesNew", Long.toString(report.bytesNew()),
        "bytesStored", Long.toString(report.bytesStored()), "complete", Boolean.toString(report.snapshot().complete())));
    try {
      hooks.afterBackup(after);
    } catch (Exception e) {
      // the snapshot is committed; a failing after-hook must not make it look lost
      java.util.List<String> warnings = new ArrayList<>(report.warnings());
      warnings.add("after-backup hook failed: " + e.getMessage());
      report = new BackupReport(report.target(), report.snapshot(), report.files(), report.bytesRead(),
          report.bytesTotal(), report.bytesNew(), report.bytesStored(), report.duration(), warnings, report.checks(),
          report.copies(), report.retention());
    }
    // the snapshot is safe, but a copy or a retention that failed is what an on-failure hook pages for
    List<String> failed = new ArrayList<>();
    report.copies().stream().filter(c -> !c.succeeded())
        .forEach(c -> failed.add("copy to " + c.target() + " failed: " + c.failure()));
    report.retention().stream().filter(r -> !r.succeeded())
        .forEach(r -> failed.add("retention of target " + r.target() + " failed: " + r.failure()));
    if (!failed.isEmpty()) {
      onFailure(after, new BackupException("plan '" + name + "': snapshot " + report.snapshotId().shortHex()
          + " was saved, but " + String.join("; ", failed)));
    }
    return report;
  }

  private void onFailure(HookEvent event, Throwable failure) {
    try {
      hooks.onFailure(event, failure);
    } catch (Exception e) {
      if (e != failure) { // a hook may rethrow the failure it was given
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Runs a restore drill: restores the newest good snapshot (complete, every check passed; else the
   * newest) of every source from the target into scratch destinations — a fresh temporary directory for
   * file and stream sources, the registered {@link Builder#drillRestorer drill restorer} for others —
   * verifies each against what was recorded at backup time, measures the time against the RTO, removes
   * the scratch destinations, and writes the report (text and JSON) to {@link #drillReports()} if set.
   *
   * @return the drill report; {@link DrillReport#passed()} says whether the restore is good
   */
  public DrillReport drill() {
    try (Repository repo = openRepository()) {
      // a damaged snapshot file fails the drill (an incident, in its report), rather than an older snapshot
      // passing it
      List<String> damaged = new ArrayList<>();
      List<Snapshot> mine = repo.snapshots(damaged).stream().filter(this::ours).toList();
      if (!damaged.isEmpty()) {
        DrillReport failed = new DrillReport(name, target.name(), "", clock.instant(), Duration.ZERO, rto,
            List.of(new DrillReport.SourceResult("(repository)", "snapshots", target.name(), 0, 0, Duration.ZERO,
                List.of(), damaged.size() + " snapshot files are damaged, so the newest snapshot is unknown: "
                + damaged + "; run 'cairn verify', then copy the snapshot back or 'cairn forget' it")));
        if (drillReports != null) {
          DrillReports.write(drillReports, failed);
        }
        return failed;
      }
      Snapshot newest = mine.stream().filter(s -> s.complete() && s.checksPassed())
          .max(Comparator.comparing(Snapshot::time))
          .or(() -> mine.stream().max(Comparator.comparing(Snapshot::time)))
          .orElse(null);
      Path base = drillDirectory != null ? drillDirectory : Path.of(System.getProperty("java.io.tmpdir"));
      DrillReport report = DrillRunner.run(name, target.name(), newest, rto, base, drillRestorers,
          (source, dir, restorer) -> {
            RestoreRequest.Builder request = RestoreRequest.builder().snapshot(newest.id().hex()).source(source)
                .destination(dir);
            if (restorer != null) {
              request.restorer(source, restorer);
            }
            return repo.restore(request.build()).results().get(0);
          }, clock);
      if (drillReports != null) {
        DrillReports.write(drillReports, report);
      }
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("restore drill of plan '" + name + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * The plan's health now: the age of the newest good snapshot in the target against the RPO, and the
   * newest drill (read from {@link #drillReports()}) against the RTO. See {@link HealthReport}.
   */
  public HealthReport health() {
    List<DrillReport> drills;
    try {
      drills = drillReports == null ? List.of() : DrillReports.readAll(drillReports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the drill reports in " + drillReports + ": " + e.getMessage(), e);
    }
    return HealthReport.evaluate(name, clock.instant(), rpo, rto,
        List.of(new HealthReport.TargetState(target.name(), null, snapshots(), null)), drills);
  }

  /**
   * This plan's snapshots taken on this plan's host in the target, oldest first. Another host running the
   * same plan file into a shared repository has snapshots of its own: they neither cover this host's
   * RPO nor stand in for its drills.
   */
  public List<Snapshot> snapshots() {
    try (Repository repo = openRepository()) {
      return repo.snapshots().stream().filter(this::ours).toList();
    }
  }

  private boolean ours(Snapshot s) {
    return s.plan().equals(name) && s.host().equals(host);
  }

  /**
   * Restores from the target as {@code request} says; {@code latest} means this plan's newest
   * snapshot unless the request names another plan.
   */
  public RestoreReport restore(RestoreRequest request) {
    RestoreRequest r = request.plan() != null ? request : new RestoreRequest(request.snapshot(), request.sources(),
        request.paths(), request.destination(), request.overwrite(), request.restorers(), name, request.host(),
        request.progress(), request.excludes());
    try (Repository repo = openRepository()) {
      return repo.restore(r);
    }
  }

  /** Verifies the target repository; with {@code readData}, reads and checks every pack. */
  public VerifyReport verify(boolean readData) {
    return verify(readData ? DataSubset.all() : DataSubset.none());
  }

  /**
   * Verifies the target repository's structure and reads the packs of {@code subset}, e.g.
   * {@code DataSubset.group(week % 4 + 1, 4)} to read the whole repository over four weekly runs.
   */
  public VerifyReport verify(DataSubset subset) {
    try (Repository repo = openRepository()) {
      return repo.verify(subset, progress);
    }
  }

  @Override
  public String toString() {
    return "BackupPlan[" + name + ": " + sources.stream().map(Source::name).toList() + " -> " + target.name() + "]";
  }

  /**
   * Builds a {@link BackupPlan}. Mutable and single-threaded; each single-valued option may be set
   * once. Required: {@link #name}, at least one {@link #source}, {@link #target} and
   * {@link #encryption}.
   */
  public static final class Builder {
    private String name;
    private final List<Source> sources = new ArrayList<>();
    private Target target;
    private Encryption encryption;
    private Compression compression = Compression.zstd();
    private Chunking chunking = Chunking.defaults();
    private String host;
    private final List<String> tags = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Executor executor;
    private int workers;
    private ProgressListener progress = ProgressListener.NONE;
    private boolean createRepository;
    private PlanHooks hooks = PlanHooks.NONE;
    private Duration rpo;
    private Duration rto;
    private Path drillDirectory;
    private Path drillReports;
    private final Map<String, Function<Path, ScratchRestorer>> drillRestorers = new LinkedHashMap<>();
    private final List<PlanCopies.CopyTarget> copyTargets = new ArrayList<>();
    private Schedule schedule;
    private ObjectivesPolicy objectivesPolicy = ObjectivesPolicy.FAIL;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String option) {
      if (!set.add(option)) {
        throw new IllegalStateException(option + " was already set");
      }
    }

    /** The plan's name (required), recorded in snapshots; parents are chosen within a plan. */
    public Builder name(String name) {
      once("name");
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("plan name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Adds a source; names must be unique within the plan. */
    public Builder source(Source source) {
      Objects.requireNonNull(source, "source");
      for (Source s : sources) {
        if (s.name().equals(source.name())) {
          throw new IllegalArgumentException("the plan already has a source named '" + source.name()
              + "'; give one of them another name");
        }
      }
      sources.add(source);
      return this;
    }

    /** The target repository (required). */
    public Builder target(Target target) {
      once("target");
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** The primary target, which receives every backup: the same as {@link #target(Target)}. */
    public Builder primary(Target target) {
      return target(target);
    }

    /**
     * Adds a further target that receives a copy of the newest snapshot after a backup whenever
     * {@code schedule} has fired since its newest copy (e.g. {@code Schedule.monthly()} for an
     * off-site bucket); same passphrase as the plan. See {@link #copyTo(Rotation, Schedule, Encryption)}.
     */
    public Builder copyTo(Target target, Schedule schedule) {
      return copyTo(Rotation.of(target.name(), target), schedule, null);
    }

    /** Adds drives taking turns receiving copies on {@code schedule}; see {@link Rotation}. */
    public Builder copyTo(Rotation rotation, Schedule schedule) {
      return copyTo(rotation, schedule, null);
    }

    /**
     * Adds a copy target: after each backup, when {@code schedule} has fired since the newest copy on
     * the rotation's drives, the new snapshot is copied to the most stale usable drive. Copy targets
     * the plan creates ({@link #createRepository}) share the primary's chunking, so copies deduplicate.
     *
     * @param encryption the copy repositories' passphrase, or {@code null} for the plan's
     * @throws IllegalArgumentException if a drive's name is already used by another target
     */
    public Builder copyTo(Rotation rotation, Schedule schedule, Encryption encryption) {
      Objects.requireNonNull(rotation, "rotation");
      Objects.requireNonNull(schedule, "schedule");
      for (Target d : rotation.drives()) {
        boolean taken = target != null && target.name().equals(d.name()) || copyTargets.stream()
            .flatMap(c -> c.rotation().drives().stream()).anyMatch(o -> o.name().equals(d.name()));
        if (taken) {
          throw new IllegalArgumentException("the plan already has a target named '" + d.name()
              + "'; give every target its own name");
        }
      }
      copyTargets.add(new PlanCopies.CopyTarget(rotation, schedule, encryption));
      return this;
    }

    /** How the repository is unlocked (required). */
    public Builder encryption(Encryption encryption) {
      once("encryption");
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /** Compression for new data (default zstd level 3). */
    public Builder compression(Compression compression) {
      once("compression");
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** Chunk sizes used when the plan creates its repository (default 512 KiB / 1 MiB / 8 MiB). */
    public Builder chunking(Chunking chunking) {
      once("chunking");
      this.chunking = Objects.requireNonNull(chunking, "chunking");
      return this;
    }

    /** The host recorded in snapshots (default: the local host name). */
    public Builder host(String host) {
      once("host");
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Adds a tag recorded in every snapshot. */
    public Builder addTag(String tag) {
      tags.add(BackupOptions.checkTag(tag));
      return this;
    }

    /** Adds a usability check run before each backup. */
    public Builder check(Check check) {
      checks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /** The clock giving snapshot times (default: system UTC); inject one in tests. */
    public Builder clock(Clock clock) {
      once("clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs compression and encryption on {@code executor} (default: threads of the repository's own). */
    public Builder executor(Executor executor) {
      once("executor");
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Threads compressing and encrypting (default: the number of cores, as many as a quarter of the heap holds pack buffers for). */
    public Builder workers(int workers) {
      once("workers");
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Receives progress samples of backups and verifications (default: none). */
    public Builder progress(ProgressListener progress) {
      once("progress");
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** Whether operations create the target repository when it does not exist yet (default false). */
    public Builder createRepository(boolean create) {
      once("createRepository");
      this.createRepository = create;
      return this;
    }

    /** Callbacks before and after each backup and on failure (default: none). */
    public Builder hooks(PlanHooks hooks) {
      once("hooks");
      this.hooks = Objects.requireNonNull(hooks, "hooks");
      return this;
    }

    /**
     * The recovery point and recovery time objectives that {@link BackupPlan#health()} judges; either
     * may be null for none.
     */
    public Builder objectives(Duration rpo, Duration rto) {
      once("objectives");
      for (Duration d : new Duration[] {rpo, rto}) {
        if (d != null && (d.isNegative() || d.isZero())) {
          throw new IllegalArgumentException("objectives must be positive, got " + d);
        }
      }
      this.rpo = rpo;
      this.rto = rto;
      return this;
    }

    /**
     * When backups run: the primary target's schedule (default: none, backups run when called). The
     * plan does not run itself; a {@link Scheduler} or cron does. With an RPO set, {@link #build()}
     * proves from it that backups run at least as often as the RPO.
     */
    public Builder schedule(Schedule schedule) {
      once("schedule");
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /**
     * Whether {@link #build()} fails ({@link ObjectivesPolicy#FAIL}, the default) or only warns
     * ({@link ObjectivesPolicy#WARN}) when a plan that declares {@link #objectives objectives} cannot
     * meet them.
     */
    public Builder objectivesPolicy(ObjectivesPolicy policy) {
      once("objectivesPolicy");
      this.objectivesPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Where drills make their scratch directories (default: the system temporary directory). */
    public Builder drillDirectory(Path directory) {
      once("drillDirectory");
      this.drillDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Where drills write their reports, and {@link BackupPlan#health()} reads them (default: nowhere). */
    public Builder drillReports(Path directory) {
      once("drillReports");
      this.drillReports = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * How a drill restores source {@code source} when it is not restored as files (a database): a
     * function from a private scratch directory to a {@link ScratchRestorer}, closed after the drill.
     */
    public Builder drillRestorer(String source, Function<Path, ScratchRestorer> restorer) {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(restorer, "restorer");
      if (drillRestorers.putIfAbsent(source, restorer) != null) {
        throw new IllegalArgumentException("a drill restorer for source '" + source + "' is already set");
      }
      return this;
    }

    /**
     * Builds the plan. A plan that declares {@link #objectives objectives} is checked against them from
     * its configuration alone: backups (its {@link #schedule}) at least as often as the RPO; three
     * copies (distinct storage locations: the primary and every copy drive) on at least two kinds of
     * storage, one {@link Target#offsite() off site}; no {@link Target#objectLock() Object Lock} period
     * shorter than what the target's retention keeps; and, with an RTO, a drill restorer for every
     * source that is not restored as files, so drills can measure it. See {@link ObjectivesPolicy}.
     *
     * @throws IllegalStateException if the name, sources, target or encryption are missing
     * @throws ConfigurationException if the plan cannot meet its objectives and the policy is FAIL; the
     *     message names every objective missed, why, and what to change
     */
    public BackupPlan build() {
      if (name == null) {
        throw new IllegalStateException("a plan needs a name");
      }
      if (sources.isEmpty()) {
        throw new IllegalStateException("plan '" + name + "' needs at least one source");
      }
      if (target == null) {
        throw new IllegalStateException("plan '" + name + "' needs a target repository");
      }
      if (encryption == null) {
        throw new IllegalStateException("plan '" + name + "' needs encryption settings (a passphrase)");
      }
      List<ObjectiveViolation> violations = rpo == null && rto == null ? List.of() : PlanObjectives.check(sources, target,
          schedule, copyTargets, rpo, rto, drillRestorers.keySet(), clock.instant());
      if (!violations.isEmpty()) {
        String message = "plan '" + name + "' cannot meet its objectives:\n  "
            + violations.stream().map(ObjectiveViolation::toString).collect(java.util.stream.Collectors.joining("\n  "));
        if (objectivesPolicy == ObjectivesPolicy.FAIL) {
          throw new ConfigurationException(message + "\n(to build it anyway and only warn, set objectivesPolicy(WARN);"
              + " in a plan file, objectives.enforce: warn)");
        }
        org.slf4j.LoggerFactory.getLogger(BackupPlan.class).warn(message);
      }
      return new BackupPlan(this, violations);
    }
  }

  /** The copy targets (each a rotation of one or more drives), in the order added. */
  public List<Rotation> copyTargets() {
    return copyTargets.stream().map(PlanCopies.CopyTarget::rotation).toList();
  }

  /** The source named {@code name}, if the plan has one. */
  public Optional<Source> source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
