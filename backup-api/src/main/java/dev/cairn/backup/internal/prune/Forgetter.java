package dev.cairn.backup.internal.prune;

import dev.cairn.backup.Retention;
import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import dev.cairn.backup.internal.snapshot.Snapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import dev.cairn.backup.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies a retention policy and deletes the snapshot objects it removes (not their data: see {@link Pruner}). */
public final class Forgetter {
  private static final Logger LOG = LoggerFactory.getLogger(Forgetter.class);

  private Forgetter() {}

  /**
   * Applies {@code policy} to every snapshot of {@code repo} under the exclusive lock and deletes the
   * snapshots it removes; a dry run only decides, under a shared lock, so backups may run meanwhile.
   *
   * @return the plan: what was (or would be) kept and removed, and why
   */
  public static RetentionPlan forget(EncryptedRepository repo, Retention policy, Clock clock, boolean dryRun,
      Duration lockWait) {
    return forget(repo, policy, clock, dryRun, lockWait, s -> true);
  }

  /** Like {@link #forget(EncryptedRepository, Retention, Clock, boolean, Duration)}, for the snapshots {@code which} accepts only. */
  public static RetentionPlan forget(EncryptedRepository repo, Retention policy, Clock clock, boolean dryRun,
      Duration lockWait, java.util.function.Predicate<Snapshot> which) {
    try (Lock lock = Locks.acquire(repo, !dryRun, lockWait)) {
      // a snapshot that cannot be read is neither counted nor removed: it stays until forgotten by id
      RetentionPlan plan = policy.apply(Snapshots.readable(repo).stream().filter(which).toList(), clock.instant());
      if (!dryRun) {
        for (Snapshot s : plan.remove()) {
          repo.delete(FileType.SNAPSHOT, s.id());
        }
        LOG.info("forgot {} snapshots of {}, kept {}", plan.remove().size(), repo.storage().location(), plan.keep().size());
      }
      return plan;
    }
  }

  /**
   * Deletes the snapshots {@code refs} name (ids or unique prefixes), without reading them; the caller
   * holds the exclusive lock. Every ref is resolved before anything is deleted; a dry run deletes nothing.
   */
  public static List<ObjectId> forgetIds(EncryptedRepository repo, List<String> refs, boolean dryRun) {
    List<ObjectId> ids = repo.list(FileType.SNAPSHOT);
    java.util.LinkedHashSet<ObjectId> chosen = new java.util.LinkedHashSet<>();
    for (String ref : refs) {
      try {
        chosen.add(Snapshots.resolveId(ids, ref));
      } catch (dev.cairn.backup.BackupException e) {
        throw new dev.cairn.backup.BackupException(e.getMessage() + "; nothing was removed (forget takes ids or unique"
            + " prefixes, or --keep-* rules)", e);
      }
    }
    if (dryRun) {
      return List.copyOf(chosen);
    }
    for (ObjectId id : chosen) {
      repo.delete(FileType.SNAPSHOT, id);
    }
    LOG.info("forgot {} snapshots of {}", chosen.size(), repo.storage().location());
    return List.copyOf(chosen);
  }
}
