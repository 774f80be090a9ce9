package dev.cairn.backup;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one backup through {@link Repository#backup(List, BackupOptions)}: what the snapshot
 * records (plan, host, tags), the usability checks to run first, the clock and a progress listener.
 * {@link BackupPlan} builds these from its own settings. Immutable; build with {@link #builder()}.
 *
 * @param plan the plan name recorded in the snapshot ({@code ""} for ad-hoc backups); the parent
 *     snapshot is the latest one with the same plan, host and source
 * @param host the host recorded in the snapshot (default: the local host name)
 * @param tags tags recorded in the snapshot
 * @param checks usability checks run before reading any source
 * @param clock the clock giving the snapshot time
 * @param progress receives progress samples
 * @param checkpointBytes after this many bytes of new data the backup makes everything uploaded so far
 *     durable and indexed (a checkpoint), so a backup that is killed loses at most about this much work:
 *     the next backup reuses what was checkpointed (default 1 GiB)
 * @param force read every file again instead of taking unchanged ones from a parent snapshot (restic's
 *     {@code --force}): for files whose content changed while their size, time and inode stayed the
 *     same. Chunks already in the repository are still not stored again (a damaged chunk is replaced by
 *     {@link Repository#repairPacks}, not by a backup)
 * @param parent the snapshot ({@code latest}, an id or a unique prefix) to take unchanged files from
 *     and to record as parent, instead of the newest of the same plan, host and source; null for that
 *     default. A source it does not hold has no parent
 */
public record BackupOptions(
    String plan, String host, List<String> tags, List<Check> checks, Clock clock, ProgressListener progress,
    long checkpointBytes, boolean force, String parent) {
  /** The default checkpoint interval: 1 GiB of new data. */
  public static final long DEFAULT_CHECKPOINT_BYTES = 1L << 30;

  /** Checks the values and copies the lists. */
  public BackupOptions {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(host, "host");
    tags = List.copyOf(tags);
    checks = List.copyOf(checks);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(progress, "progress");
    if (checkpointBytes < 1 << 20) {
      throw new IllegalArgumentException("checkpointBytes must be at least 1 MiB, got " + checkpointBytes);
    }
    if (force && parent != null) {
      throw new IllegalArgumentException("give force (no parent) or a parent snapshot, not both");
    }
  }

  /** Options without {@code force} or a chosen parent (the components before those were added). */
  public BackupOptions(String plan, String host, List<String> tags, List<Check> checks, Clock clock,
      ProgressListener progress, long checkpointBytes) {
    this(plan, host, tags, checks, clock, progress, checkpointBytes, false, null);
  }

  /** All defaults: no plan, the local host, no tags or checks, the system clock, no progress. */
  public static BackupOptions defaults() {
    return builder().build();
  }

  /** A new builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The local host name, or {@code localhost} if it cannot be determined. */
  public static String localHost() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  static String checkTag(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("tag must not be blank");
    }
    return tag;
  }

  /** Builds {@link BackupOptions}. Not thread-safe. */
  public static final class Builder {
    private String plan = "";
    private String host;
    private final List<String> tags = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private ProgressListener progress = ProgressListener.NONE;
    private long checkpointBytes = DEFAULT_CHECKPOINT_BYTES;
    private boolean force;
    private String parent;

    private Builder() {}

    /** Reads every file again, with no parent snapshot (default false). */
    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    /** Takes unchanged files from snapshot {@code ref} ({@code latest}, an id or a prefix; null for the default). */
    public Builder parent(String ref) {
      this.parent = ref;
      return this;
    }

    /** The plan name recorded in the snapshot (default {@code ""}). */
    public Builder plan(String plan) {
      this.plan = Objects.requireNonNull(plan, "plan");
      return this;
    }

    /** The host recorded in the snapshot (default: the local host name). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Adds a tag. */
    public Builder addTag(String tag) {
      tags.add(checkTag(tag));
      return this;
    }

    /** Adds tags. */
    public Builder tags(List<String> tags) {
      tags.forEach(this::addTag);
      return this;
    }

    /** Adds a usability check run before the backup. */
    public Builder addCheck(Check check) {
      checks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    /** Adds usability checks. */
    public Builder checks(List<Check> checks) {
      checks.forEach(this::addCheck);
      return this;
    }

    /** The clock giving the snapshot time (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Receives progress samples (default: none). */
    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** Checkpoints after every {@code bytes} of new data (at least 1 MiB; default 1 GiB). */
    public Builder checkpointBytes(long bytes) {
      if (bytes < 1 << 20) {
        throw new IllegalArgumentException("checkpointBytes must be at least 1 MiB, got " + bytes);
      }
      this.checkpointBytes = bytes;
      return this;
    }

    /** Builds the options. */
    public BackupOptions build() {
      return new BackupOptions(plan, host == null ? localHost() : host, tags, checks, clock, progress,
          checkpointBytes, force, parent);
    }
  }
}
