package dev.cairn.backup;

import dev.cairn.backup.spi.Storage;
import java.time.Duration;
import java.util.Objects;

/**
 * A repository in a plan: a name shown in reports (e.g. {@code onsite-a}), the {@link Storage}
 * holding it, and what the plan needs to know about it — the retention policy applied after each
 * backup or copy it receives (and whether to prune then), whether it is off site, and the Object Lock
 * period of its storage (both for the objectives check at {@link BackupPlan.Builder#build()}). The
 * plan does not close a storage it was given. Immutable; change a copy with the {@code with*} methods:
 *
 * <pre>{@code
 * Target offsite = Target.of("offsite", s3Storage, Retention.policy().keepMonthly(12))
 *     .withPrune(PruneOptions.DEFAULTS)
 *     .withObjectLock(Duration.ofDays(400));
 * }</pre>
 *
 * @param name the target's name, unique in a plan
 * @param storage where the repository lives
 * @param retention the policy applied to the plan's snapshots in this target after each backup or copy
 *     it receives, or {@code null} to keep every snapshot (the default)
 * @param prune how to prune after applying the retention, or {@code null} not to prune (the default;
 *     forgotten snapshots' data then stays until a prune)
 * @param offsite whether the storage is off site (default: true unless it is a local directory, i.e. its
 *     {@link #kind()} is {@code local})
 * @param objectLock how long the storage keeps written objects locked (S3 Object Lock), {@link
 *     Duration#ZERO} for none (the default); the objectives check requires it to cover what the
 *     retention keeps
 */
public record Target(String name, Storage storage, Retention retention, PruneOptions prune, boolean offsite,
    Duration objectLock) {
  /** Checks the values. */
  public Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storage, "storage");
    if (name.isBlank()) {
      throw new IllegalArgumentException("target name must not be blank");
    }
    objectLock = objectLock == null ? Duration.ZERO : objectLock;
    if (objectLock.isNegative()) {
      throw new IllegalArgumentException("target '" + name + "': objectLock must not be negative, got " + objectLock);
    }
    if (prune != null && retention == null) {
      throw new IllegalArgumentException("target '" + name + "': prune is set but no retention policy;"
          + " prune runs after the retention, so set one with withRetention(...)");
    }
  }

  /** A target without retention, off site unless {@code storage} is a local directory. */
  public Target(String name, Storage storage) {
    this(name, storage, null, null, !"local".equals(kindOf(storage)), Duration.ZERO);
  }

  /** A target named {@code name} on {@code storage}, keeping every snapshot. */
  public static Target of(String name, Storage storage) {
    return new Target(name, storage);
  }

  /** A target named {@code name} on {@code storage} whose plan snapshots are kept by {@code retention}. */
  public static Target of(String name, Storage storage, Retention retention) {
    return new Target(name, storage).withRetention(retention);
  }

  /** This target with {@code policy} applied after each backup or copy ({@code null}: keep everything). */
  public Target withRetention(Retention policy) {
    return new Target(name, storage, policy, policy == null ? null : prune, offsite, objectLock);
  }

  /** This target pruned with {@code options} after its retention is applied ({@code null}: no prune). */
  public Target withPrune(PruneOptions options) {
    return new Target(name, storage, retention, options, offsite, objectLock);
  }

  /** This target marked as off site or on site, overriding the guess from its storage's kind. */
  public Target withOffsite(boolean offsite) {
    return new Target(name, storage, retention, prune, offsite, objectLock);
  }

  /** This target with its storage's Object Lock period ({@link Duration#ZERO}: none). */
  public Target withObjectLock(Duration period) {
    return new Target(name, storage, retention, prune, offsite, period);
  }

  /**
   * The kind of storage, from its location's scheme: {@code local} for a directory, else e.g.
   * {@code s3}, {@code sftp}, {@code memory}. Two kinds count as two storages for the 3-2-1 rule.
   */
  public String kind() {
    return kindOf(storage);
  }

  private static String kindOf(Storage storage) {
    String location = storage.location();
    int colon = location.indexOf(':');
    if (colon <= 0 || location.startsWith("/")) {
      return "local";
    }
    String scheme = location.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    return scheme.equals("file") ? "local" : scheme;
  }
}
