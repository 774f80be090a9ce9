package dev.cairn.backup.plan;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Check;
import dev.cairn.backup.Checks;
import dev.cairn.backup.Compression;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.DrillReport;
import dev.cairn.backup.DrillReports;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.PlanHooks;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Retention;
import dev.cairn.backup.Rotation;
import dev.cairn.backup.Schedule;
import dev.cairn.backup.Scheduler;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.Target;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceFactory;
import dev.cairn.backup.spi.SourceSettings;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup plan read from a YAML file: sources, targets with storage URIs, schedules, retention,
 * encryption, checks, hooks, objectives and drill settings, validated as it is read. Every error is a
 * {@link ConfigurationException} naming the file, line, column and key at fault. The vocabulary is in
 * the project's {@code docs/plans.md}. Immutable and thread-safe.
 *
 * <p>Secrets are never inline: {@code passphrase: {env: CAIRN_PASSWORD}} or
 * {@code passphrase: {file: /etc/cairn/passphrase}}; they are resolved when the plan needs them, not
 * when the file is read, so {@code cairn plan validate} works without them.
 *
 * <p>Sources of type {@code files} and {@code stream} are built in; other types ({@code mysql},
 * {@code influx}, …) come from {@link SourceFactory}s on the class path.
 */
public final class PlanFile {
  private static final Logger LOG = LoggerFactory.getLogger(PlanFile.class);
  private static final Set<String> TOP_KEYS = Set.of("version", "name", "host", "timezone", "tags", "sources",
      "encryption", "compression", "targets", "checks", "hooks", "objectives", "drill");
  private static final Set<String> TARGET_KEYS = Set.of("name", "storage", "rotate", "primary", "schedule",
      "retention", "prune", "offsite", "object-lock");
  private static final Set<String> RETENTION_KEYS = Set.of("keep-last", "keep-hourly", "keep-daily", "keep-weekly",
      "keep-monthly", "keep-yearly", "keep-within", "keep-within-hourly", "keep-within-daily", "keep-within-weekly",
      "keep-within-monthly", "keep-within-yearly", "keep-tag");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

  private final Path file;
  private final String name;
  private final String host;
  private final ZoneId zone;
  private final List<String> tags;
  private final List<SourceSpec> sources;
  private final Supplier<Secret> passphrase;
  private final Integer compressionLevel;
  private final List<TargetSpec> targets;
  private final List<Check> checks;
  private final PlanHooks hooks;
  private final Duration rpo;
  private final Duration rto;
  private final Duration grace;
  private final BackupPlan.ObjectivesPolicy objectivesPolicy;
  private final Path drillDirectory;
  private final Path drillReports;

  /**
   * One source of the plan.
   *
   * @param name unique name
   * @param type {@code files}, {@code stream}, {@code mysql}, {@code influx}, …
   * @param line the line it starts on, for messages
   * @param source the source itself; {@code null} for built-in types until the plan is built
   * @param settings its settings, for drills ({@link SourceFactory#scratchRestorer})
   * @param factory the factory that made it; {@code null} for built-in types
   */
  public record SourceSpec(String name, String type, int line, Source source, SourceSettings settings,
      SourceFactory factory) {}

  /**
   * One target of the plan.
   *
   * @param name unique name
   * @param primary whether it receives every backup (exactly one target does)
   * @param storages its storage URIs or paths; several means the target rotates through them, one per run
   * @param schedule when it receives snapshots (backups for the primary, copies for the others)
   * @param retention retention settings by key ({@code keep-daily} → {@code 7}, …), as written
   * @param policy the retention policy they make, in the plan's time zone; {@code null} if none is given
   * @param line the line it starts on, for messages
   * @param prune how to prune after the retention ({@code prune: true} or {@code prune: {max-unused: 5%,
   *     safety-window: 2h}}); {@code null} not to prune
   * @param offsite {@code offsite: true|false}, or {@code null} to guess from the storage (local
   *     directories are on site, anything else off site)
   * @param objectLock {@code object-lock: 400d}, the storage's Object Lock period; zero if not given
   */
  public record TargetSpec(String name, boolean primary, List<String> storages, Schedule schedule,
      Map<String, String> retention, Retention policy, int line, PruneOptions prune, Boolean offsite,
      Duration objectLock) {
    /** Checks the values and copies the lists. */
    public TargetSpec {
      storages = List.copyOf(storages);
      retention = Map.copyOf(retention);
    }
  }

  private PlanFile(Path file, YamlNode root, List<SourceFactory> extraFactories) {
    this.file = file;
    Path base = file.toAbsolutePath().getParent();
    if (root.isNull()) {
      throw new ConfigurationException(file + ": the plan file is empty; see docs/plans.md for an example");
    }
    root.allowOnly(TOP_KEYS);
    YamlNode version = root.get("version");
    if (version != null && !version.text().equals("1")) {
      throw version.error("unsupported plan file version '" + version.text() + "'; this Cairn reads version 1");
    }
    this.name = root.require("name").text();
    YamlNode hostNode = root.get("host");
    this.host = hostNode == null ? null : hostNode.text();
    this.zone = zone(root.get("timezone"));
    YamlNode tagsNode = root.get("tags");
    this.tags = tagsNode == null ? List.of() : tagsNode.strings();
    this.sources = sources(root.require("sources"), base, extraFactories);
    YamlNode enc = root.require("encryption");
    enc.allowOnly(Set.of("passphrase"));
    this.passphrase = secretRef(enc.require("passphrase"), base);
    this.compressionLevel = compression(root.get("compression"));
    this.targets = targets(root.require("targets"));
    YamlNode objectives = root.get("objectives");
    if (objectives != null) {
      objectives.allowOnly(Set.of("rpo", "rto", "enforce", "grace"));
      this.rpo = objectives.get("rpo") == null ? null : duration(objectives.get("rpo"));
      this.rto = objectives.get("rto") == null ? null : duration(objectives.get("rto"));
      YamlNode graceNode = objectives.get("grace");
      if (graceNode != null && rpo == null) {
        throw graceNode.error("'grace' widens the RPO for plan status: set objectives.rpo as well");
      }
      this.grace = graceNode == null ? Duration.ZERO : duration(graceNode);
      YamlNode enforce = objectives.get("enforce");
      if (enforce == null || enforce.text().equalsIgnoreCase("fail")) {
        this.objectivesPolicy = BackupPlan.ObjectivesPolicy.FAIL;
      } else if (enforce.text().equalsIgnoreCase("warn")) {
        this.objectivesPolicy = BackupPlan.ObjectivesPolicy.WARN;
      } else {
        throw enforce.error("expected 'fail' (a plan that cannot meet its objectives is refused) or 'warn'"
            + " (it runs, with a warning), found '" + enforce.text() + "'");
      }
    } else {
      this.rpo = null;
      this.rto = null;
      this.grace = Duration.ZERO;
      this.objectivesPolicy = BackupPlan.ObjectivesPolicy.FAIL;
    }
    YamlNode drill = root.get("drill");
    if (drill != null) {
      drill.allowOnly(Set.of("scratch", "reports"));
    }
    this.drillDirectory = drill == null || drill.get("scratch") == null ? null : base.resolve(drill.get("scratch").text());
    this.drillReports = drill == null || drill.get("reports") == null ? null : base.resolve(drill.get("reports").text());
    this.checks = checks(root.get("checks"), base);
    this.hooks = hooks(root.get("hooks"), base);
  }

  /**
   * Reads and validates a plan file. Secrets are not resolved yet.
   *
   * @throws ConfigurationException naming file, line and key if it is malformed, or if it cannot be read
   */
  public static PlanFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("plan file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read plan file " + file + ": " + e.getMessage(), e);
    }
    return read(file, new StringReader(text));
  }

  /** Reads a plan from {@code reader}; {@code file} names it in messages and anchors relative paths. */
  public static PlanFile read(Path file, Reader reader) {
    return read(file, reader, List.of());
  }

  /** As {@link #read(Path, Reader)}, with {@code factories} taking precedence over those on the class path. */
  public static PlanFile read(Path file, Reader reader, List<SourceFactory> factories) {
    return new PlanFile(file, YamlNode.parse(file.toString(), reader), List.copyOf(factories));
  }

  /** The file it was read from. */
  public Path file() {
    return file;
  }

  /** The plan's name. */
  public String name() {
    return name;
  }

  /** The host recorded in snapshots, if set. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** The time zone schedules and retention periods are read in (default: the system's). */
  public ZoneId zone() {
    return zone;
  }

  /** Tags recorded in every snapshot. */
  public List<String> tags() {
    return tags;
  }

  /** The sources, in file order. */
  public List<SourceSpec> sources() {
    return sources;
  }

  /** The repository passphrase, resolved from its environment variable or file on each call. */
  public Supplier<Secret> passphrase() {
    return passphrase;
  }

  /** The zstd level, if set. */
  public Optional<Integer> compressionLevel() {
    return Optional.ofNullable(compressionLevel);
  }

  /** The targets, in file order; exactly one is primary. */
  public List<TargetSpec> targets() {
    return targets;
  }

  /** The primary target. */
  public TargetSpec primary() {
    return targets.stream().filter(TargetSpec::primary).findFirst().orElseThrow();
  }

  /** The usability checks, in file order. */
  public List<Check> checks() {
    return checks;
  }

  /** The hooks ({@link PlanHooks#NONE} if none). */
  public PlanHooks hooks() {
    return hooks;
  }

  /** The recovery point objective, if set. */
  public Optional<Duration> rpo() {
    return Optional.ofNullable(rpo);
  }

  /**
   * How much older than the RPO a target's newest good snapshot may be before {@link #health} calls the
   * RPO violated ({@code objectives.grace}, default zero): a snapshot is dated when its backup starts, so
   * with daily backups and a 24 h RPO the newest one is just over a day old while the next backup runs.
   */
  public Duration rpoGrace() {
    return grace;
  }

  /** The recovery time objective, if set. */
  public Optional<Duration> rto() {
    return Optional.ofNullable(rto);
  }

  /** What building the plan does when it cannot meet its objectives ({@code objectives.enforce}, default fail). */
  public BackupPlan.ObjectivesPolicy objectivesPolicy() {
    return objectivesPolicy;
  }

  /** Where drills restore to (a fresh temporary directory under it per drill), if set. */
  public Optional<Path> drillDirectory() {
    return Optional.ofNullable(drillDirectory);
  }

  /** Where drill reports are written, if set. */
  public Optional<Path> drillReports() {
    return Optional.ofNullable(drillReports);
  }

  /**
   * Reads a plan file and builds its plan.
   *
   * @throws ConfigurationException naming file, line and key if the file is malformed
   */
  public static BackupPlan load(Path file) {
    return read(file).toPlan();
  }

  /** Builds the plan this file describes. */
  public BackupPlan toPlan() {
    return toPlanBuilder().build();
  }

  /**
   * A plan builder holding everything this file describes, to add what a file cannot say (a clock, a
   * progress listener, executors) before {@code build()}.
   */
  public BackupPlan.Builder toPlanBuilder() {
    BackupPlan.Builder b = BackupPlan.builder().name(name);
    if (host != null) {
      b.host(host);
    }
    tags.forEach(b::addTag);
    for (SourceSpec s : sources) {
      b.source(switch (s.type()) {
        case "files" -> fileSource(s);
        case "stream" -> StreamSource.command(s.name(), s.settings().string("path").orElseThrow(),
            ((YamlSourceSettings) s.settings()).command("command")).inDirectory(file.toAbsolutePath().getParent());
        default -> s.source();
      });
      if (s.factory() != null) {
        SourceFactory factory = s.factory();
        SourceSettings settings = s.settings();
        b.drillRestorer(s.name(), dir -> factory.scratchRestorer(settings, dir).orElseThrow(() ->
            settings.error("type", "source type '" + factory.type() + "' offers no scratch destination for drills")));
      }
    }
    TargetSpec primary = primary();
    b.primary(target(primary, primary.name(), primary.storages().get(0)));
    b.schedule(primary.schedule());
    for (TargetSpec t : targets) {
      if (t.primary()) {
        continue;
      }
      List<Target> drives = new ArrayList<>();
      for (int i = 0; i < t.storages().size(); i++) {
        // drives of a rotation are named target-1, target-2, … in reports; a single location keeps the name
        drives.add(target(t, t.storages().size() == 1 ? t.name() : t.name() + "-" + (i + 1), t.storages().get(i)));
      }
      b.copyTo(new Rotation(t.name(), drives), t.schedule());
    }
    b.objectivesPolicy(objectivesPolicy);
    b.encryption(Encryption.passphrase(passphrase));
    if (compressionLevel != null) {
      b.compression(Compression.zstd(compressionLevel));
    }
    checks.forEach(b::check);
    b.hooks(hooks);
    if (rpo != null || rto != null) {
      b.objectives(rpo, rto);
    }
    if (drillDirectory != null) {
      b.drillDirectory(drillDirectory);
    }
    if (drillReports != null) {
      b.drillReports(drillReports);
    }
    return b;
  }

  /**
   * Adds to {@code scheduler} a job named after the plan that runs {@code plan.backup()} on the primary
   * target's schedule; a run missed while the application was down (the newest snapshot is older than
   * the last due time) is caught up once at start.
   *
   * @param plan the plan built from this file (e.g. by {@link #toPlan()})
   */
  public Scheduler.Builder schedule(BackupPlan plan, Scheduler.Builder scheduler) {
    return scheduler.job(plan.name(), primary().schedule(), () -> recordDrives(plan.backup(), Instant.now()),
        () -> plan.snapshots().stream().map(Snapshot::time).max(Comparator.naturalOrder()));
  }

  /**
   * The health of every target of this file, not only the primary: copy targets are opened read-only
   * (each location of a rotating target; an unreachable or missing one counts as holding nothing) and
   * judged against their own limit, the longest gap of their schedule plus the RPO. The RTO is judged
   * on the drill reports in {@link #drillReports()}.
   *
   * @param plan the plan built from this file
   * @param now the time to measure ages against
   */
  public HealthReport health(BackupPlan plan, Instant now) {
    List<DrillReport> drills;
    try {
      drills = plan.drillReports().isPresent() ? DrillReports.readAll(plan.drillReports().get()) : List.of();
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the drill reports in " + plan.drillReports().get() + ": "
          + e.getMessage(), e);
    }
    List<HealthReport.TargetState> states = new ArrayList<>();
    Map<String, List<RotationHealth.Drive>> rotations = new LinkedHashMap<>();
    Map<String, DriveRecords.Seen> records = drillReports == null ? Map.of() : DriveRecords.read(drillReports);
    Map<String, DriveRecords.Seen> seenNow = new LinkedHashMap<>();
    List<Snapshot> primarySnapshots = null; // read when a drive's record needs it
    for (TargetSpec t : targets) {
      if (t.primary()) {
        states.add(new HealthReport.TargetState(t.name(), rpo == null || grace.isZero() ? null : rpo.plus(grace),
            plan.snapshots(), null));
        continue;
      }
      List<Snapshot> held = new ArrayList<>();
      List<RotationHealth.Drive> drives = new ArrayList<>();
      for (int i = 0; i < t.storages().size(); i++) {
        String location = t.storages().get(i);
        RotationHealth.Drive d = snapshotsAt(t.name() + "-" + (i + 1), location);
        held.addAll(d.snapshots());
        if (t.storages().size() > 1) {
          if (d.unreadable() != null) {
            DriveRecords.Seen seen = records.get(locationKey(location));
            d = new RotationHealth.Drive(d.name(), d.location(), d.snapshots(), d.created(), d.unreadable(), seen);
            if (seen != null) {
              // the copy it last held counts for the rotation while it is away (a drive is taken to the
              // drawer right after its turn): the primary still has that snapshot unless pruned since
              if (primarySnapshots == null) {
                primarySnapshots = plan.snapshots();
              }
              primarySnapshots.stream().filter(s -> s.time().equals(seen.newestCopy())).forEach(held::add);
            }
          } else {
            RotationHealth.newestTime(d.snapshots(), now).ifPresent(time -> seenNow.put(locationKey(location),
                new DriveRecords.Seen(now, time)));
          }
        }
        drives.add(d);
      }
      if (drives.size() > 1) {
        rotations.put(t.name(), drives);
      }
      Duration limit = rpo == null ? null : t.schedule().longestGap(now).plus(rpo).plus(grace);
      // the newest copy it holds (snapshots keep their backup time, so this is when the copied backup ran)
      Instant lastCopy = RotationHealth.newestTime(held, now).orElse(null);
      states.add(new HealthReport.TargetState(t.name(), limit, held, lastCopy));
    }
    if (drillReports != null) {
      DriveRecords.record(drillReports, seenNow);
    }
    HealthReport merged = HealthReport.evaluate(name, now, rpo, rto, states, drills);
    if (rotations.isEmpty()) {
      return merged;
    }
    String noRecord = drillReports == null
        ? "the plan keeps no record of its copies (set drill.reports in the plan file to keep one)"
        : "the plan has no record of it yet (each drive is recorded in " + drillReports.resolve(DriveRecords.FILE)
            + " when plan status reads it or plan run copies to it)";
    // each drive of a rotation gets a row of its own after the rotation's: the rotation can look fresh
    // while one of its drives has stopped receiving copies
    List<HealthReport.TargetHealth> rows = new ArrayList<>();
    for (HealthReport.TargetHealth row : merged.targets()) {
      rows.add(row);
      List<RotationHealth.Drive> drives = rotations.get(row.target());
      if (drives != null) {
        Schedule schedule = targets.stream().filter(t -> t.name().equals(row.target())).findFirst().orElseThrow()
            .schedule();
        Duration limit = rpo == null ? null
            : schedule.longestGap(now).multipliedBy(drives.size() + 1L).plus(rpo).plus(grace);
        rows.addAll(RotationHealth.drives(row.target(), drives, now, row, limit, noRecord));
      }
    }
    return new HealthReport(merged.plan(), merged.time(), merged.rpo(), merged.rto(), rows);
  }

  /**
   * Records, for the drives of this file's rotations that received a copy in {@code report} (or already
   * held it), that they held a copy of that time at {@code now}: {@link #health} then judges a drive
   * that is unplugged by what it last held. Does nothing without a drill-report directory, where the
   * record is kept. {@code cairn plan run} calls it after each run, as does {@link #schedule}'s job.
   *
   * @return {@code report}
   */
  public BackupReport recordDrives(BackupReport report, Instant now) {
    if (drillReports == null) {
      return report;
    }
    Map<String, DriveRecords.Seen> seen = new LinkedHashMap<>();
    for (TargetSpec t : targets) {
      for (int i = 0; t.storages().size() > 1 && i < t.storages().size(); i++) {
        String drive = t.name() + "-" + (i + 1);
        String location = t.storages().get(i);
        for (CopyReport c : report.copies()) {
          if (c.target().equals(drive) && c.failure().isEmpty()) {
            List<Snapshot> held = new ArrayList<>(c.copied());
            held.addAll(c.alreadyPresent());
            RotationHealth.newestTime(held, now).ifPresent(time -> seen.put(locationKey(location), new DriveRecords.Seen(now, time)));
          }
        }
      }
    }
    DriveRecords.record(drillReports, seen);
    return report;
  }

  private RotationHealth.Drive snapshotsAt(String driveName, String location) {
    try {
      Storage storage = Storages.fromUri(location(location));
      if (!Repository.exists(storage)) {
        LOG.warn("plan {}: no repository at {} yet", name, location);
        return new RotationHealth.Drive(driveName, location, List.of(), null, "no repository at " + location);
      }
      try (Repository repo = Repository.builder(storage).passphrase(passphrase.get()).open()) {
        String h = host != null ? host : dev.cairn.backup.BackupOptions.localHost();
        Instant created = repo.keys().stream().map(dev.cairn.backup.RepositoryKey::created)
            .filter(java.util.Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
        return new RotationHealth.Drive(driveName, location,
            repo.snapshots().stream().filter(s -> s.plan().equals(name) && s.host().equals(h)).toList(), created,
            null);
      }
    } catch (BackupException e) {
      LOG.warn("plan {}: cannot read the snapshots at {}: {}", name, location, e.getMessage());
      return new RotationHealth.Drive(driveName, location, List.of(), null, e.getMessage());
    }
  }

  private Target target(TargetSpec spec, String targetName, String storage) {
    Target t = Target.of(targetName, Storages.fromUri(location(storage)), spec.policy()).withPrune(spec.prune())
        .withObjectLock(spec.objectLock());
    return spec.offsite() == null ? t : t.withOffsite(spec.offsite());
  }

  /** A location compared for sameness: paths resolved and normalised, URIs without a trailing slash. */
  private String locationKey(String storage) {
    String l = location(storage);
    boolean uri = l.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    return uri ? l.replaceAll("/+$", "") : Path.of(l).normalize().toString();
  }

  /** A plain path is read relative to the plan file; URIs are kept; {@code file:/dir} is the directory. */
  private String location(String storage) {
    if (storage.regionMatches(true, 0, "file:", 0, 5) && !storage.startsWith("//", 5)) {
      try {
        return Path.of(java.net.URI.create(storage)).toString();
      } catch (IllegalArgumentException e) {
        // not a usable file URI: read as a path, as before
      }
    }
    boolean uri = storage.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    return uri ? storage : file.toAbsolutePath().getParent().resolve(storage).toString();
  }

  // ---- parsing -------------------------------------------------------------------------------

  private static ZoneId zone(YamlNode node) {
    if (node == null) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(node.text());
    } catch (DateTimeException e) {
      throw node.error("unknown time zone '" + node.text() + "'; use a region id such as Europe/Berlin or UTC", e);
    }
  }

  private List<SourceSpec> sources(YamlNode node, Path base, List<SourceFactory> extraFactories) {
    List<YamlNode> items = node.list();
    if (items.isEmpty()) {
      throw node.error("a plan needs at least one source");
    }
    Map<String, SourceFactory> factories = new HashMap<>();
    extraFactories.forEach(f -> factories.put(f.type(), f));
    for (SourceFactory f : ServiceLoader.load(SourceFactory.class, PlanFile.class.getClassLoader())) {
      factories.putIfAbsent(f.type(), f);
    }
    List<SourceSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlNode item : items) {
      String sourceName = item.require("name").text();
      if (!names.add(sourceName)) {
        throw item.get("name").error("source name '" + sourceName + "' is used twice; names must be unique");
      }
      YamlNode typeNode = item.require("type");
      String type = typeNode.text();
      SourceSettings settings = new YamlSourceSettings(sourceName, item, base);
      switch (type) {
        case "files":
          item.allowOnly(Set.of("name", "type", "root", "include", "exclude", "one-file-system", "exclude-if-present",
              "exclude-caches", "exclude-larger-than"));
          settings.string("exclude-larger-than").ifPresent(v -> {
            try {
              dev.cairn.backup.internal.source.ByteSizes.parse(v, "exclude-larger-than");
            } catch (IllegalArgumentException e) {
              throw item.get("exclude-larger-than").error(e.getMessage());
            }
          });
          for (String flag : List.of("one-file-system", "exclude-caches")) {
            flag(settings, flag);
          }
          settings.path("root").orElseThrow(() -> item.error("missing required key 'root' (the directory to back up)"));
          out.add(new SourceSpec(sourceName, type, item.line(), null, settings, null));
          break;
        case "stream":
          item.allowOnly(Set.of("name", "type", "command", "path"));
          if (settings.strings("command").isEmpty()) {
            throw item.error("missing required key 'command' (argv whose stdout is stored)");
          }
          item.require("path");
          out.add(new SourceSpec(sourceName, type, item.line(), null, settings, null));
          break;
        default:
          SourceFactory factory = factories.get(type);
          if (factory == null) {
            factory = ReflectiveSourceFactory.find(type, PlanFile.class.getClassLoader()).orElse(null);
          }
          if (factory == null) {
            String module = switch (type) {
              case "mysql" -> ": add dev.cairn:backup-mysql to the class path";
              case "influx" -> ": add dev.cairn:backup-influx to the class path";
              default -> "; known types: files, stream" + (factories.isEmpty() ? "" : ", "
                  + String.join(", ", new java.util.TreeSet<>(factories.keySet())));
            };
            throw typeNode.error("no source type '" + type + "' on the class path" + module);
          }
          Set<String> allowed = new HashSet<>(factory.keys());
          allowed.add("name");
          allowed.add("type");
          item.allowOnly(allowed);
          out.add(new SourceSpec(sourceName, type, item.line(), factory.create(settings), settings, factory));
      }
    }
    return List.copyOf(out);
  }

  private List<TargetSpec> targets(YamlNode node) {
    List<YamlNode> items = node.list();
    if (items.isEmpty()) {
      throw node.error("a plan needs at least one target");
    }
    List<TargetSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, String> locations = new HashMap<>();
    boolean anyPrimary = items.stream().anyMatch(i -> i.get("primary") != null && bool(i.get("primary")));
    for (int i = 0; i < items.size(); i++) {
      YamlNode item = items.get(i);
      item.allowOnly(TARGET_KEYS);
      String targetName = item.require("name").text();
      if (!names.add(targetName)) {
        throw item.get("name").error("target name '" + targetName + "' is used twice; names must be unique");
      }
      boolean primary = anyPrimary ? item.get("primary") != null && bool(item.get("primary")) : i == 0;
      if (!anyPrimary && i == 0 && item.get("primary") != null) {
        throw item.get("primary").error("target '" + targetName + "' says primary: false, but no target is primary;"
            + " set primary: true on the one that receives every backup");
      }
      if (primary && out.stream().anyMatch(TargetSpec::primary)) {
        throw item.get("primary").error("only one target can be primary (it receives every backup)");
      }
      List<String> storages;
      if (item.get("storage") != null && item.get("rotate") != null) {
        throw item.get("rotate").error("give either 'storage' (one location) or 'rotate' (several), not both");
      } else if (item.get("rotate") != null) {
        storages = item.get("rotate").strings();
        if (storages.size() < 2) {
          throw item.get("rotate").error("'rotate' needs at least two storage locations to alternate between");
        }
        if (primary) {
          throw item.get("rotate").error("the primary target cannot rotate; rotate a copy target instead");
        }
      } else {
        storages = List.of(item.require("storage").text());
      }
      YamlNode storageNode = item.get("storage") != null ? item.get("storage") : item.get("rotate");
      for (String s : storages) {
        if (s.isBlank()) {
          throw storageNode.error("a storage location is empty: give a path or a URI such as s3://bucket/prefix");
        }
        String key = locationKey(s);
        String other = locations.putIfAbsent(key, targetName);
        if (other != null) {
          throw storageNode.error("location " + s + " is also used by target '" + other + "'"
              + "; every target (and every drive of a rotation) needs a"
              + " location of its own");
        }
      }
      YamlNode scheduleNode = item.get("schedule");
      Schedule schedule = scheduleNode == null ? Schedule.daily().withZone(zone) : schedule(scheduleNode);
      YamlNode retentionNode = item.get("retention");
      PruneOptions prune = prune(item.get("prune"));
      if (prune != null && retentionNode == null) {
        throw item.get("prune").error("prune runs after the retention, but target '" + targetName
            + "' has none; add a retention (e.g. retention: {keep-daily: 7}) or remove prune");
      }
      Boolean offsite = item.get("offsite") == null ? null : bool(item.get("offsite"));
      Duration objectLock = item.get("object-lock") == null ? Duration.ZERO : duration(item.get("object-lock"));
      out.add(new TargetSpec(targetName, primary, storages, schedule, retention(retentionNode),
          retentionNode == null ? null : policy(retentionNode), item.line(), prune, offsite, objectLock));
    }
    return List.copyOf(out);
  }

  private static PruneOptions prune(YamlNode node) {
    if (node == null) {
      return null;
    }
    if (node.kind() != YamlNode.Kind.MAP) {
      return bool(node) ? PruneOptions.DEFAULTS : null;
    }
    node.allowOnly(Set.of("max-unused", "safety-window"));
    PruneOptions.Builder b = PruneOptions.builder();
    if (node.get("max-unused") != null) {
      try {
        b.maxUnused(node.get("max-unused").text());
      } catch (IllegalArgumentException e) {
        throw node.get("max-unused").error(e.getMessage() + " (e.g. 10%, 200M, 0 or unlimited)", e);
      }
    }
    if (node.get("safety-window") != null) {
      b.safetyWindow(duration(node.get("safety-window")));
    }
    return b.build();
  }

  private Schedule schedule(YamlNode node) {
    String text = node.text().trim();
    try {
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.startsWith("every ")) {
        return Schedule.every(parseDuration(text.substring(6).trim()));
      }
      return switch (lower) {
        case "hourly", "daily", "weekly", "monthly", "yearly" -> Schedule.cron("@" + lower, zone);
        default -> Schedule.cron(text, zone);
      };
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage() + " (a schedule is a 5-field cron expression, daily, weekly, monthly,"
          + " or 'every 6h')", e);
    }
  }

  private static Map<String, String> retention(YamlNode node) {
    if (node == null) {
      return Map.of();
    }
    node.allowOnly(RETENTION_KEYS);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
      YamlNode v = e.getValue();
      if (e.getKey().startsWith("keep-within")) {
        if (v.text().trim().toLowerCase(Locale.ROOT).matches(".*\\d\\s*m(?!s).*") && !v.text().trim().startsWith("P")
            && !v.text().trim().startsWith("p")) {
          // 'cairn forget --keep-within 3m' means 3 months (restic's); here m would be minutes: never guess
          throw v.error("'" + v.text() + "' is ambiguous in a retention window: 'cairn forget' reads m as months,"
              + " a plan file as minutes. Write days or hours (90d, 36h) or ISO 8601 (P90D)");
        }
        duration(v);
      } else if (!e.getKey().equals("keep-tag")) {
        positiveInt(v);
      }
      out.put(e.getKey(), e.getKey().equals("keep-tag")
          ? String.join(" or ", tagRules(v).stream().map(tags -> String.join(",", tags)).toList()) : v.text());
    }
    return out;
  }

  /** The {@link Retention} the (already checked) retention keys make; its own checks name the key. */
  private Retention policy(YamlNode node) {
    Retention r = Retention.policy().zone(zone);
    for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
      YamlNode v = e.getValue();
      try {
        r = switch (e.getKey()) {
          case "keep-last" -> r.keepLast(positiveInt(v));
          case "keep-hourly" -> r.keepHourly(positiveInt(v));
          case "keep-daily" -> r.keepDaily(positiveInt(v));
          case "keep-weekly" -> r.keepWeekly(positiveInt(v));
          case "keep-monthly" -> r.keepMonthly(positiveInt(v));
          case "keep-yearly" -> r.keepYearly(positiveInt(v));
          case "keep-within" -> r.keepWithin(duration(v));
          case "keep-within-hourly" -> r.keepWithinHourly(duration(v));
          case "keep-within-daily" -> r.keepWithinDaily(duration(v));
          case "keep-within-weekly" -> r.keepWithinWeekly(duration(v));
          case "keep-within-monthly" -> r.keepWithinMonthly(duration(v));
          case "keep-within-yearly" -> r.keepWithinYearly(duration(v));
          default -> {
            Retention withTags = r;
            for (List<String> tags : tagRules(v)) {
              withTags = withTags.keepTag(tags.toArray(String[]::new));
            }
            yield withTags;
          }
        };
      } catch (IllegalArgumentException ex) {
        throw v.error(ex.getMessage(), ex);
      }
    }
    return r;
  }

  /**
   * A {@code keep-tag} value as keep-tag rules: a tag or a list of tags is one rule (all of them);
   * a list of lists is several rules, any of which keeps a snapshot ({@code [[pinned], [release, prod]]}).
   */
  private static List<List<String>> tagRules(YamlNode v) {
    List<YamlNode> items = v.list();
    if (items.stream().noneMatch(i -> i.kind() == YamlNode.Kind.LIST)) {
      return List.of(v.strings());
    }
    List<List<String>> rules = new ArrayList<>();
    for (YamlNode item : items) {
      rules.add(item.strings());
    }
    return rules;
  }

  private static Integer compression(YamlNode node) {
    if (node == null) {
      return null;
    }
    node.allowOnly(Set.of("level"));
    YamlNode level = node.require("level");
    int l = positiveInt(level);
    if (l > 22) {
      throw level.error("zstd level must be 1-22, got " + l);
    }
    return l;
  }

  private List<Check> checks(YamlNode node, Path base) {
    if (node == null) {
      return List.of();
    }
    List<Check> out = new ArrayList<>();
    for (YamlNode item : node.list()) {
      item.allowOnly(Set.of("yaml", "command", "reachable", "directory", "timeout", "on-failure"));
      List<String> kinds = item.map().keySet().stream().filter(Set.of("yaml", "command", "reachable")::contains).toList();
      if (kinds.size() != 1) {
        throw item.error("a check has exactly one of 'yaml', 'command' or 'reachable'" + (kinds.isEmpty() ? "" : ", found " + kinds));
      }
      if (!kinds.get(0).equals("command")) {
        for (String key : List.of("directory", "timeout")) {
          if (item.get(key) != null) {
            throw item.get(key).error("'" + key + "' applies to command checks only; a " + kinds.get(0)
                + " check has no working directory or time limit (write paths relative to the plan file)");
          }
        }
      }
      Check check;
      switch (kinds.get(0)) {
        case "yaml" -> check = Checks.yamlParses(item.get("yaml").strings().stream().map(base::resolve).toArray(Path[]::new));
        case "command" -> {
          List<String> argv = argv(item.get("command"));  // a string runs with sh -c, as in hooks
          if (argv.isEmpty()) {
            throw item.get("command").error("the command is empty");
          }
          Path dir = item.get("directory") == null ? base : base.resolve(item.get("directory").text());
          Duration timeout = item.get("timeout") == null ? Duration.ofMinutes(5) : duration(item.get("timeout"));
          check = Checks.command(dir, timeout, argv.toArray(String[]::new));
        }
        default -> {
          String sourceName = item.get("reachable").text();
          SourceSpec spec = sources.stream().filter(s -> s.name().equals(sourceName)).findFirst()
              .orElseThrow(() -> item.get("reachable").error("no source named '" + sourceName + "'"));
          check = spec.source() != null ? Checks.sourceReachable(spec.source()) : deferredReachable(spec);
        }
      }
      YamlNode policy = item.get("on-failure");
      if (policy != null) {
        String p = policy.text().toUpperCase(Locale.ROOT);
        if (!p.equals("ABORT") && !p.equals("MARK")) {
          throw policy.error("on-failure is 'abort' (no snapshot) or 'mark' (back up, mark the snapshot), not '"
              + policy.text() + "'");
        }
        check = check.onFailure(Check.OnFailure.valueOf(p));
      }
      out.add(check);
    }
    return List.copyOf(out);
  }

  /** A reachability check of a built-in source, resolved against the plan's sources when it runs. */
  private Check deferredReachable(SourceSpec spec) {
    return Checks.of("reachable:" + spec.name(), () -> {
      Path root = spec.settings().path("root").orElse(null);
      if (root != null && !Files.isDirectory(root)) {
        throw new IOException("source " + spec.name() + ": root " + root + " is not a directory");
      }
      return null;
    });
  }

  private static PlanHooks hooks(YamlNode node, Path base) {
    if (node == null) {
      return PlanHooks.NONE;
    }
    node.allowOnly(Set.of("before", "after", "on-failure", "directory", "timeout"));
    Path dir = node.get("directory") == null ? base : base.resolve(node.get("directory").text());
    Duration timeout = node.get("timeout") == null ? Duration.ofMinutes(5) : duration(node.get("timeout"));
    return PlanHooks.commands(argv(node.get("before")), argv(node.get("after")), argv(node.get("on-failure")),
        dir, timeout);
  }

  /** A list is argv; a single string runs through {@code sh -c}. */
  static List<String> argv(YamlNode node) {
    if (node == null) {
      return List.of();
    }
    if (node.kind() == YamlNode.Kind.SCALAR) {
      return List.of("sh", "-c", node.text());
    }
    return node.strings();
  }

  static Supplier<Secret> secretRef(YamlNode node, Path base) {
    if (node.kind() != YamlNode.Kind.MAP) {
      throw node.error("secrets are never written inline: use {env: VARIABLE} or {file: /path/to/file}");
    }
    node.allowOnly(Set.of("env", "file"));
    YamlNode env = node.get("env");
    YamlNode file = node.get("file");
    if ((env == null) == (file == null)) {
      throw node.error("give exactly one of 'env' or 'file'");
    }
    if (env != null) {
      String var = env.text();
      return () -> {
        String v = System.getenv(var);
        if (v == null || v.isEmpty()) {
          throw env.error("environment variable " + var + " is not set; export it before running the plan");
        }
        return Secret.of(v);
      };
    }
    Path p = base.resolve(file.text());
    return () -> {
      try {
        String v = Files.readString(p, StandardCharsets.UTF_8);
        // a trailing newline is an artefact of editors and echo, not part of the secret
        v = v.endsWith("\r\n") ? v.substring(0, v.length() - 2) : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
        if (v.isEmpty()) {
          throw file.error("secret file " + p + " is empty");
        }
        return Secret.of(v);
      } catch (IOException e) {
        throw file.error("cannot read secret file " + p + ": " + e.getMessage(), e);
      }
    };
  }

  static Duration duration(YamlNode node) {
    try {
      return parseDuration(node.text());
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage(), e);
    }
  }

  /** {@code 90s}, {@code 15m}, {@code 24h}, {@code 7d}, {@code 2w}, {@code 500ms}, combinations like {@code 1h30m}, or ISO-8601. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        if (d.isNegative()) {
          throw new IllegalArgumentException("'" + text + "' is negative; a duration here must be zero or more");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not a duration such as 24h, 30m, 7d or PT24H");
      }
    }
    Matcher m = SHORT_DURATION.matcher(t);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      try {
        long n = Long.parseLong(m.group(1));
        d = d.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(Math.multiplyExact(7, n));
        });
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is too long a duration");
      }
      end = m.end();
      while (end < t.length() && t.charAt(end) == ' ') {
        end++;
      }
    }
    if (end == 0 || end != t.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 24h, 30m, 7d or PT24H");
    }
    return d;
  }

  private static int positiveInt(YamlNode node) {
    try {
      int v = Integer.parseInt(node.text());
      if (v < 1) {
        throw node.error("must be at least 1, got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw node.error("expected a whole number, found '" + node.text() + "'");
    }
  }

  /** A files source as the plan describes it. */
  private static FileSource fileSource(SourceSpec s) {
    SourceSettings settings = s.settings();
    FileSource f = FileSource.of(settings.path("root").orElseThrow()).name(s.name())
        .include(settings.strings("include").toArray(String[]::new))
        .exclude(settings.strings("exclude").toArray(String[]::new))
        .oneFileSystem(flag(settings, "one-file-system"))
        .excludeIfPresent(settings.strings("exclude-if-present").toArray(String[]::new));
    if (flag(settings, "exclude-caches")) {
      f = f.excludeCaches();
    }
    java.util.Optional<String> limit = settings.string("exclude-larger-than");
    return limit.isEmpty() ? f
        : f.excludeLargerThan(dev.cairn.backup.internal.source.ByteSizes.parse(limit.get(), "exclude-larger-than"));
  }

  /** A true/false setting, false when absent. */
  private static boolean flag(SourceSettings settings, String key) {
    return settings.string(key).map(v -> switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw settings.error(key, "'" + key + "' must be true or false, not '" + v + "'");
    }).orElse(false);
  }

  private static boolean bool(YamlNode node) {
    String t = node.text().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("yes")) {
      return true;
    }
    if (t.equals("false") || t.equals("no")) {
      return false;
    }
    throw node.error("expected true or false, found '" + node.text() + "'");
  }

  @Override
  public String toString() {
    return "PlanFile[" + name + " from " + file + "]";
  }
}
