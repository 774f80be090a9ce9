package dev.cairn.backup;

import dev.cairn.backup.internal.prune.MaxUnused;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code prune} runs. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * PruneReport r = repository.prune(PruneOptions.builder().maxUnused("5%").dryRun(true).build());
 * System.out.print(r.render());
 * }</pre>
 *
 * @param maxUnused how much unused data may stay in partly used packs: {@code 10%} (default), an
 *     absolute size such as {@code 200M}, {@code 0} or {@code unlimited}
 * @param safetyWindow packs written less than this long ago are never repacked or deleted, since a
 *     backup still running may refer to them (default 1 hour)
 * @param dryRun report what would be done, change nothing
 * @param lockWait how long to wait for backups holding shared locks to finish before giving up with
 *     {@link RepositoryLockedException} (default: don't wait)
 */
public record PruneOptions(String maxUnused, Duration safetyWindow, boolean dryRun, Duration lockWait) {
  /** The defaults: 10% unused allowed, a 1-hour safety window, no dry run, no lock wait. */
  public static final PruneOptions DEFAULTS = builder().build();

  public PruneOptions {
    Objects.requireNonNull(maxUnused, "maxUnused");
    MaxUnused.parse(maxUnused); // fail early, naming the value
    Objects.requireNonNull(safetyWindow, "safetyWindow");
    Objects.requireNonNull(lockWait, "lockWait");
    if (safetyWindow.isNegative() || lockWait.isNegative()) {
      throw new IllegalArgumentException("safetyWindow and lockWait must not be negative");
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxUnused = maxUnused;
    b.safetyWindow = safetyWindow;
    b.dryRun = dryRun;
    b.lockWait = lockWait;
    return b;
  }

  /** Builds {@link PruneOptions}; mutable, single-threaded. */
  public static final class Builder {
    private String maxUnused = "10%";
    private Duration safetyWindow = Duration.ofHours(1);
    private boolean dryRun;
    private Duration lockWait = Duration.ZERO;

    private Builder() {}

    /**
     * Unused data allowed to stay: {@code 10%}, {@code 200M}, {@code 0} or {@code unlimited}.
     *
     * @throws IllegalArgumentException naming the value if it is none of those
     */
    public Builder maxUnused(String maxUnused) {
      MaxUnused.parse(maxUnused);
      this.maxUnused = maxUnused;
      return this;
    }

    /** Packs younger than this are left alone (default 1 hour). */
    public Builder safetyWindow(Duration safetyWindow) {
      this.safetyWindow = Objects.requireNonNull(safetyWindow, "safetyWindow");
      return this;
    }

    /** Only report what would be done. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** How long to wait for running backups' locks (default: fail at once). */
    public Builder lockWait(Duration lockWait) {
      this.lockWait = Objects.requireNonNull(lockWait, "lockWait");
      return this;
    }

    /** The options. */
    public PruneOptions build() {
      return new PruneOptions(maxUnused, safetyWindow, dryRun, lockWait);
    }
  }
}
