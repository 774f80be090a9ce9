package dev.cairn.backup.internal.prune;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.PruneReport;
import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.index.IdSet;
import dev.cairn.backup.internal.index.IndexFile;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import dev.cairn.backup.internal.repository.PackRewriter;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.TreeWalker;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a prune: lock, mark, plan, repack, write new indexes, delete old indexes, delete packs — in
 * that order, so that a prune killed at any point leaves a repository in which every blob a snapshot
 * needs is still indexed and stored.
 */
public final class Pruner {
  private static final Logger LOG = LoggerFactory.getLogger(Pruner.class);

  /** The phases, in order; the listener hears each before it starts. */
  public enum Phase {
    /** Taking the exclusive lock (waiting for backups' shared locks if allowed). */
    LOCK,
    /** Walking every snapshot's trees to find the blobs in use. */
    MARK,
    /** Deciding what to keep, repack and delete. */
    PLAN,
    /** Copying used blobs out of packs to repack into new packs. */
    REPACK,
    /** Writing the index that names every surviving blob and supersedes the old ones. */
    WRITE_INDEX,
    /** Deleting the old index files. */
    DELETE_INDEX,
    /** Deleting the repacked and unused packs. */
    DELETE_PACKS,
    /** Finished. */
    DONE
  }

  /** Hears progress: {@code done} of {@code total} steps of {@code phase} (0 of n when it starts). */
  @FunctionalInterface
  public interface Listener {
    /** Called when a phase starts and after each step of it. */
    void progress(Phase phase, long done, long total);

    /** A listener that ignores everything. */
    Listener NONE = (p, d, t) -> {};
  }

  private Pruner() {}

  /**
   * Prunes {@code repo}.
   *
   * @throws RepositoryLockedException if another process holds a lock longer than {@code lockWait}
   * @throws IntegrityException if a snapshot or tree cannot be read, or a blob a snapshot needs is in
   *     no pack: pruning then could lose data, so nothing is changed
   */
  public static PruneReport prune(EncryptedRepository repo, PruneOptions options, Clock clock, Listener listener) {
    return prune(repo, options, Set.of(), clock, listener);
  }

  /**
   * A dry run of a prune as if the snapshots {@code asIfForgotten} were gone: what {@code forget --prune
   * --dry-run} shows (restic's), since the forget's own dry run removed nothing.
   *
   * @throws IllegalArgumentException if {@code asIfForgotten} is not empty and this is no dry run
   */
  public static PruneReport prune(EncryptedRepository repo, PruneOptions options, Set<ObjectId> asIfForgotten,
      Clock clock, Listener listener) {
    if (!asIfForgotten.isEmpty() && !options.dryRun()) {
      throw new IllegalArgumentException("only a dry run may prune as if snapshots were forgotten");
    }
    PruneReport report;
    try {
      report = run(repo, options, asIfForgotten, clock, listener);
    } catch (RuntimeException e) {
      // whatever happened, this session must not go on with an index naming deleted packs
      try {
        repo.refreshIndex();
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
    repo.refreshIndex();
    return report;
  }

  private static PruneReport run(EncryptedRepository repo, PruneOptions options, Set<ObjectId> asIfForgotten,
      Clock clock, Listener listener) {
    Instant start = clock.instant();
    listener.progress(Phase.LOCK, 0, 1);
    // a dry run changes nothing, so it shares the repository with running backups
    try (Lock lock = Locks.acquire(repo, !options.dryRun(), options.lockWait())) {
      // backups may have finished while this session waited, or since it opened: see their packs
      repo.refreshIndex();
      if (!repo.damagedIndexFiles().isEmpty()) {
        int n = repo.damagedIndexFiles().size();
        throw new IntegrityException("prune stopped before changing anything: " + n + " index file"
            + (n == 1 ? " is" : "s are") + " damaged; run 'cairn repair index' first");
      }
      List<ObjectId> oldIndexes = repo.list(FileType.INDEX);
      listener.progress(Phase.MARK, 0, 0);
      List<Snapshot> snapshots = Snapshots.all(repo, (id, e) -> {
        if (asIfForgotten.contains(id)) {
          return; // a dry run after 'forget ID': this one would be gone
        }
        // the data it needs would look unused: nothing may be deleted while it cannot be read
        throw new IntegrityException("prune stopped before changing anything: snapshot " + id.shortHex()
            + " is damaged (" + e.getMessage() + "), so the data it needs is unknown. Copy that snapshot again from"
            + " another copy of the repository if it matters, and remove the damaged one with 'cairn forget "
            + id.shortHex() + "'", e);
      });
      if (!asIfForgotten.isEmpty()) {
        snapshots = snapshots.stream().filter(s -> !asIfForgotten.contains(s.id())).toList();
      }
      Set<ObjectId> used = mark(repo, snapshots, listener);

      listener.progress(Phase.PLAN, 0, 1);
      // the index files read whole: a blob stored twice (two sessions wrote it at once) is in both packs' records
      Map<ObjectId, IndexFile.PackRecord> records = repo.indexRecords(oldIndexes);
      List<PackInfo> packs = packs(repo, records);
      PrunePlan plan = PrunePlanner.plan(packs, used, MaxUnused.parse(options.maxUnused()), clock.instant(),
          options.safetyWindow());
      if (plan.stats().missingBlobs() > 0) {
        throw new IntegrityException("prune stopped before changing anything: " + plan.stats().missingBlobs()
            + " blobs that snapshots need are in no pack; run 'cairn verify' to see which snapshots and files need them,"
            + " then 'cairn repair packs --from OTHER-COPY' to bring them back, or 'cairn repair snapshots --forget'"
            + " to write those snapshots without them");
      }
      if (!options.dryRun()) {
        removeLeftovers(repo, clock.instant().minus(options.safetyWindow()));
      }
      if (options.dryRun() || plan.isEmpty()) {
        listener.progress(Phase.DONE, 1, 1);
        return plan.toReport(options.dryRun(), snapshots.size(), Duration.between(start, clock.instant()));
      }

      // packs no index names (what an interrupted or failed backup wrote) go first: no index changes with
      // them, and on a full disk (a backup that filled it leaves such packs) they make the room that
      // repacking and the new index need
      Set<String> deletedFirst = new HashSet<>();
      for (PackInfo p : plan.delete()) {
        if (!p.indexed()) {
          repo.delete(FileType.PACK, packId(p.name()));
          deletedFirst.add(p.name());
        }
      }
      long toCopy = plan.copy().values().stream().mapToLong(List::size).sum();
      listener.progress(Phase.REPACK, 0, toCopy);
      List<IndexFile.PackRecord> kept = plan.keep().stream().filter(PackInfo::indexed)
          .map(p -> records.get(packId(p.name()))).toList();
      try (PackRewriter rewriter = new PackRewriter(repo)) {
        long done = 0;
        for (PackInfo p : plan.repack()) {
          for (PackInfo.Blob b : plan.copy().get(p.name())) {
            rewriter.copy(b.id());
            listener.progress(Phase.REPACK, ++done, toCopy);
          }
        }
        List<ObjectId> written = rewriter.finish();
        LOG.debug("repacked {} blobs from {} packs into {} packs", toCopy, plan.repack().size(), written.size());

        listener.progress(Phase.WRITE_INDEX, 0, 1);
        ObjectId index = rewriter.writeIndexOf(kept, oldIndexes);
        listener.progress(Phase.WRITE_INDEX, 1, 1);
        LOG.debug("wrote index {} superseding {} index files", index.shortHex(), oldIndexes.size());
      } catch (StorageException e) {
        if (!StorageException.isNoSpace(e)) {
          throw e;
        }
        String deleted = deletedFirst.isEmpty() ? "nothing was deleted" : "nothing was deleted but "
            + deletedFirst.size() + " pack" + (deletedFirst.size() == 1 ? "" : "s") + " no index named";
        throw new StorageException("prune stopped: the storage " + repo.storage().location() + " is full ("
            + e.getMessage() + "), and " + deleted + ": prune writes the packs it repacks and its new index"
            + " before it deletes anything, so that it can stop at any point. Prune without repacking (maxUnused"
            + " \"unlimited\", 'cairn prune --max-unused unlimited'): it writes only the new index and deletes the"
            + " packs no snapshot needs (packs newer than the safety window stay: a backup that just failed wrote"
            + " such packs, so add '--safety-window 0h' while no backup runs); forget more snapshots first if that frees too little. If even that has no"
            + " room, free some space on the disk outside the repository", true, e);
      }

      listener.progress(Phase.DELETE_INDEX, 0, oldIndexes.size());
      long n = 0;
      for (ObjectId old : oldIndexes) {
        repo.delete(FileType.INDEX, old);
        listener.progress(Phase.DELETE_INDEX, ++n, oldIndexes.size());
      }
      List<PackInfo> gone = new ArrayList<>(plan.repack());
      gone.addAll(plan.delete());
      listener.progress(Phase.DELETE_PACKS, 0, gone.size());
      n = 0;
      for (PackInfo p : gone) {
        if (!deletedFirst.contains(p.name())) {
          repo.delete(FileType.PACK, packId(p.name()));
        }
        listener.progress(Phase.DELETE_PACKS, ++n, gone.size());
      }
      listener.progress(Phase.DONE, 1, 1);
      PruneReport report = plan.toReport(false, snapshots.size(), Duration.between(start, clock.instant()));
      LOG.info("pruned {}: deleted {} packs, repacked {}, freed {}", repo.storage().location(),
          report.packsDeleted(), report.packsRepacked(), PruneReport.bytes(report.bytesFreed()));
      return report;
    }
  }

  /**
   * Removes what interrupted writes left in storage (temporary files, incomplete multipart uploads) older
   * than the safety window; a failure there is logged, not fatal: nothing a reader sees depends on it.
   */
  private static void removeLeftovers(EncryptedRepository repo, java.time.Instant before) {
    try {
      int n = repo.storage().removeLeftovers(before);
      if (n > 0) {
        LOG.info("removed {} leftovers of interrupted writes from {}", n, repo.storage().location());
      }
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("could not remove the leftovers of interrupted writes from {}: {}", repo.storage().location(),
          e.getMessage());
    }
  }

  /** Every tree and data blob reachable from {@code snapshots}; each tree is read once. */
  static Set<ObjectId> mark(EncryptedRepository repo, List<Snapshot> snapshots, Listener listener) {
    // trees and chunks apart: a file whose bytes are those of a tree has that tree's id, and must not make
    // the walk take the tree for visited (its chunks would look unused)
    Set<ObjectId> trees = new IdSet(); // compact: a repository of many small files has as many blobs
    Set<ObjectId> chunks = new IdSet();
    long done = 0;
    for (Snapshot s : snapshots) {
      for (SnapshotSource src : s.sources()) {
        // an unchanged subtree shared with an earlier snapshot is not read again
        TreeWalker.reachable(src.tree(), tree -> {
          try {
            return repo.readBlob(tree);
          } catch (RuntimeException e) {
            throw new IntegrityException("prune stopped before changing anything: tree " + tree.shortHex()
                + " of snapshot " + s.id().shortHex() + " (source '" + src.name() + "') cannot be read ("
                + e.getMessage() + "); run 'cairn verify'", e);
          }
        }, trees, chunks);
      }
      listener.progress(Phase.MARK, ++done, snapshots.size());
    }
    chunks.addAll(trees);
    return chunks;
  }

  /** Every pack in storage, with its blobs from the index files (none if unindexed) and its write time. */
  static List<PackInfo> packs(EncryptedRepository repo, Map<ObjectId, IndexFile.PackRecord> records) {
    Storage storage = repo.storage();
    List<PackInfo> out = new ArrayList<>();
    try {
      for (StorageObject o : storage.list(FileType.PACK.prefix())) {
        ObjectId id;
        try {
          id = packId(o.name());
        } catch (IllegalArgumentException notAPack) {
          continue;
        }
        Instant written = storage.modified(o.name()).orElse(null);
        IndexFile.PackRecord r = records.get(id);
        List<PackInfo.Blob> blobs = new ArrayList<>();
        if (r != null) {
          for (PackEntry e : r.entries()) {
            // a second entry of a blob (here or in another pack) is a duplicate: the planner counts it unused
            blobs.add(new PackInfo.Blob(e.id(), e.type() == BlobType.TREE, Integer.toUnsignedLong(e.offset()),
                e.length()));
          }
        }
        out.add(new PackInfo(o.name(), o.size(), written, r != null, blobs));
      }
    } catch (IOException e) {
      throw new StorageException("cannot list the packs of " + storage.location() + ": " + e.getMessage(), false, e);
    }
    return out;
  }

  /** The pack id in a storage name such as {@code data/ab/ab12…}. */
  static ObjectId packId(String name) {
    return ObjectId.parse(name.substring(name.lastIndexOf('/') + 1));
  }
}
