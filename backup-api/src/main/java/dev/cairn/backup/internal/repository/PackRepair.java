package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces damaged and missing packs (restic's {@code repair packs}, and more: a copy of the repository
 * can supply what is lost). Each pack is read whole and checked, twice before it is called damaged; a
 * storage failure stops the repair instead (a pack that cannot be read right now is not damaged).
 * Every blob the index lists for a damaged or missing pack is then
 * <ul>
 *   <li><b>salvaged</b> when it still reads back intact (authentication and id check) from the pack,
 *   <li>else read from {@code from}, a copy sharing this repository's chunking (so blob ids are equal and
 *       the copy's id check proves the content), when that copy has it intact,
 *   <li>else <b>lost</b>: left out of the index, so the next backup stores it again if some file still
 *       holds that data (a backup reads a file again when its parent's chunks are not all indexed).
 * </ul>
 * Salvaged and copied blobs go into new packs; one new index file lists every other pack and the new
 * ones and supersedes all old index files, which are then deleted, and then the replaced packs. With a
 * copy, every snapshot's trees are then walked, and each tree and chunk that no pack holds any more
 * (lost by an earlier repair without a copy, or a pack deleted by hand) is read from the copy too,
 * into new packs and an index file of their own. An
 * interrupted repair leaves the damaged packs listed (the old index files are still there) and
 * perhaps unreferenced new packs (prune removes them): running it again finishes it. The caller holds
 * the exclusive lock. Internal API, no compatibility promise.
 */
public final class PackRepair {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PackRepair.class);

  /**
   * What a repair found and did.
   *
   * @param packsChecked packs read and checked
   * @param repairedPacks damaged or missing packs replaced (deleted, unless a dry run)
   * @param blobsSalvaged intact blobs of those packs moved into new packs
   * @param blobsFromCopy blobs read from the copy instead
   * @param lostBlobs blobs neither the pack nor the copy had intact: no longer indexed
   * @param newPacks packs written (none in a dry run)
   * @param problems what was wrong with each repaired pack
   */
  public record Result(int packsChecked, List<ObjectId> repairedPacks, long blobsSalvaged, long blobsFromCopy,
      List<ObjectId> lostBlobs, List<ObjectId> newPacks, List<String> problems) {}

  /**
   * Checks {@code packRefs} (ids or unique prefixes of packs the index lists; all of them when empty),
   * and replaces those damaged or missing from storage, as described above.
   *
   * @param from a copy sharing this repository's chunking to read lost blobs from, or null
   * @param dryRun reads and checks everything, writes and deletes nothing
   * @param listener progress: packs (as files) and their stored bytes checked, of those to check
   * @throws IntegrityException if an index file is damaged (run 'repair index' first); nothing changes
   * @throws ConfigurationException if {@code from} does not share this repository's chunking
   * @throws dev.cairn.backup.StorageException if storage fails; what was written by then is not indexed
   */
  public static Result run(EncryptedRepository repo, List<String> packRefs, EncryptedRepository from, boolean dryRun,
      ProgressListener listener) {
    repo.refreshIndex();
    if (!repo.damagedIndexFiles().isEmpty()) {
      int n = repo.damagedIndexFiles().size();
      throw new IntegrityException("repair packs stopped before changing anything: " + n + " index file"
          + (n == 1 ? " is" : "s are") + " damaged; run 'cairn repair index' first");
    }
    if (from != null && !repo.sharesChunking(from)) {
      throw new ConfigurationException("the repository at " + from.storage().location() + " cannot supply blobs to "
          + repo.storage().location() + ": it does not share its chunking, so their blob ids differ (copies made by a"
          + " plan, or created with 'cairn init --copy-chunker-params-from', share it)");
    }
    List<ObjectId> indexed = repo.packs();
    Set<ObjectId> candidates = new LinkedHashSet<>();
    if (packRefs.isEmpty()) {
      candidates.addAll(indexed);
    } else {
      for (String ref : packRefs) {
        candidates.add(IdPrefixes.resolve(indexed, ref, "pack", "'cairn verify' names damaged and missing packs"
            + " (a pack in storage that no index file lists needs 'cairn repair index')"));
      }
    }
    Set<ObjectId> stored = new HashSet<>(repo.list(FileType.PACK));
    ProgressTracker progress = new ProgressTracker("repair packs", listener, candidates.size(),
        candidates.stream().filter(stored::contains).mapToLong(p -> packBytes(repo, p)).sum());
    PackRepair run = new PackRepair(repo, from, dryRun);
    try {
      try (PackRewriter rewriter = new PackRewriter(repo)) {
        for (ObjectId pack : candidates) {
          run.checkAndReplace(pack, stored.contains(pack), rewriter, progress);
        }
        if (!run.repaired.isEmpty() && !dryRun) {
          List<ObjectId> oldIndexes = repo.list(FileType.INDEX);
          List<ObjectId> kept = new ArrayList<>(indexed);
          kept.removeAll(new HashSet<>(run.repaired));
          ObjectId index = rewriter.writeIndex(kept, oldIndexes);
          run.written.addAll(rewriter.finish());
          for (ObjectId old : oldIndexes) {
            if (!old.equals(index)) {
              repo.delete(FileType.INDEX, old);
            }
          }
          for (ObjectId pack : run.repaired) {
            repo.delete(FileType.PACK, pack);
          }
        }
      }
      if (from != null && !dryRun) {
        // blobs that snapshots need and no pack holds any more (lost by an earlier repair without a copy,
        // a pack deleted by hand and dropped by 'repair index'): the copy may have them too
        repo.refreshIndex();
        try (PackRewriter rewriter = new PackRewriter(repo)) {
          run.fetchMissing(rewriter);
          List<ObjectId> more = rewriter.finish();
          if (!more.isEmpty()) {
            rewriter.writeIndex(List.of(), List.of()); // an index of the new packs only, as a backup writes
            run.written.addAll(more);
          }
        }
      }
    } finally {
      repo.refreshIndex(); // never go on with an index naming deleted packs
    }
    progress.emit();
    LOG.info("repaired {} packs: {} blobs salvaged, {} from the copy, {} lost", run.repaired.size(), run.salvaged,
        run.fromCopy, run.lost.size());
    return new Result(run.checked, run.repaired, run.salvaged, run.fromCopy, new ArrayList<>(run.lost), run.written,
        run.problems);
  }

  private final EncryptedRepository repo;
  private final EncryptedRepository from;
  private final boolean dryRun;
  private final List<ObjectId> repaired = new ArrayList<>();
  private final Set<ObjectId> lost = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();
  private final List<ObjectId> written = new ArrayList<>();
  private int checked;
  private long salvaged;
  private long fromCopy;

  private PackRepair(EncryptedRepository repo, EncryptedRepository from, boolean dryRun) {
    this.repo = repo;
    this.from = from;
    this.dryRun = dryRun;
  }

  /** Checks {@code pack} (unless it is missing) and, if damaged or missing, writes its blobs into {@code rewriter}. */
  private void checkAndReplace(ObjectId pack, boolean stored, PackRewriter rewriter, ProgressTracker progress) {
    Set<ObjectId> damaged = new HashSet<>();
    if (!stored) {
      problems.add("pack " + pack.hex() + " is in the index but missing from storage");
      repo.packContents(pack).forEach(b -> damaged.add(b.id()));
    } else {
      PackCheck check = PackChecker.check(repo, pack, false);
      if (!check.ok()) {
        check = PackChecker.check(repo, pack, false); // once more: a read that ended early looks like damage
      }
      checked++;
      progress.bytes(packBytes(repo, pack), pack.shortHex());
      if (check.ok()) {
        progress.file(pack.shortHex());
        return;
      }
      problems.addAll(check.problems());
      damaged.addAll(check.damagedBlobs());
    }
    progress.file(pack.shortHex());
    repaired.add(pack);
    LOG.info("pack {} is {}{}", pack.shortHex(), stored ? "damaged" : "missing", dryRun ? "" : "; replacing it");
    for (BlobLocation b : repo.packContents(pack)) {
      byte[] plain = damaged.contains(b.id()) ? null : readOrNull(repo, b.id());
      if (plain != null) {
        salvaged++;
        if (!dryRun) {
          rewriter.add(b.type(), b.id(), plain);
        }
      } else {
        supply(b.type(), b.id(), rewriter);
      }
    }
  }

  /** Reads blob {@code id} from the copy into {@code rewriter}; else it is lost. Returns its content, or null. */
  private byte[] supply(BlobType type, ObjectId id, PackRewriter rewriter) {
    byte[] plain = from == null || from.lookup(id).isEmpty() ? null : readOrNull(from, id);
    if (plain == null) {
      lost.add(id);
      return null;
    }
    fromCopy++;
    if (!dryRun) {
      rewriter.add(type, id, plain);
    }
    return plain;
  }

  /**
   * Walks every readable snapshot's trees and reads each tree and chunk that the index lacks from the
   * copy (each blob once; one lost before is not tried again). A damaged tree still in the index is
   * left to {@code verify}, which names it.
   */
  private void fetchMissing(PackRewriter rewriter) {
    Set<ObjectId> seen = new HashSet<>();
    Deque<ObjectId> todo = new ArrayDeque<>();
    for (Snapshot s : Snapshots.all(repo, (id, e) -> LOG.warn("snapshot {} cannot be read; the blobs only it needs"
        + " are not looked for: {}", id.shortHex(), e.getMessage()))) {
      for (SnapshotSource src : s.sources()) {
        todo.push(src.tree());
      }
    }
    while (!todo.isEmpty()) {
      ObjectId tree = todo.pop();
      if (!seen.add(tree) || lost.contains(tree)) {
        continue;
      }
      byte[] data = repo.hasBlob(tree) ? readOrNull(repo, tree) : supply(BlobType.TREE, tree, rewriter);
      if (data == null) {
        continue;
      }
      for (Node n : TreeCodec.decode(data, "tree " + tree.shortHex())) {
        for (ObjectId chunk : n.content()) {
          if (seen.add(chunk) && !lost.contains(chunk) && !repo.hasBlob(chunk)) {
            supply(BlobType.DATA, chunk, rewriter);
          }
        }
        if (n.subtree() != null) {
          todo.push(n.subtree());
        }
      }
    }
  }

  private static long packBytes(EncryptedRepository repo, ObjectId pack) {
    return repo.packContents(pack).stream().mapToLong(BlobLocation::length).sum();
  }

  /** Blob {@code id} read and checked, or null if it is damaged; a storage failure is thrown. */
  private static byte[] readOrNull(EncryptedRepository repo, ObjectId id) {
    try {
      return repo.readBlob(id);
    } catch (IntegrityException e) {
      LOG.warn("blob {} in {} is damaged: {}", id.shortHex(), repo.storage().location(), e.getMessage());
      return null;
    }
  }
}
