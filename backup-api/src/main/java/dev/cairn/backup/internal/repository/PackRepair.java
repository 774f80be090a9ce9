package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.index.IndexFile;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.pack.PackFormat;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces damaged and missing packs (restic's {@code repair packs}, and more: another pack or a copy
 * of the repository can supply what is lost).
 *
 * <p><b>Finding damage.</b> The index files are read as they are (every pack and every blob entry,
 * duplicates included: the loaded index keeps only a blob's first location). Each pack is read whole,
 * and its size compared with what storage lists, then checked (hash, header, every blob); a pack that
 * fails is read and checked once more before it is called damaged. A pack is missing only when storage
 * says so for the pack itself, not when one listing lacks it. A read that fails or ends early stops the
 * repair before anything is written: a pack that cannot be read right now is not damaged.
 *
 * <p><b>Replacing a pack.</b> Every blob any index file lists for a damaged or missing pack is
 * <ul>
 *   <li>left as it is when another pack that stays holds an intact copy (read and checked here);
 *   <li>else <b>salvaged</b> into a new pack when it is intact in the pack's checked bytes;
 *   <li>else read from {@code from}, a copy sharing this repository's chunking (so blob ids are equal and
 *       the copy's id check proves the content), into a new pack;
 *   <li>else <b>lost</b>: left out of the index, so the next backup stores it again if some file still
 *       holds that data (a backup reads a file again when its parent's chunks are not all indexed).
 * </ul>
 * Then one new index file lists every entry of the packs that stay and the new packs, and supersedes
 * the index files read at the start (index files written meanwhile by other sessions stay); the
 * replaced packs are deleted, and then the superseded index files. If this is interrupted, the
 * replaced packs are still listed (by the old index files) or gone from storage, and running it again
 * finishes it: their blobs are then found in the new packs.
 *
 * <p><b>With a copy and no pack named</b>, every readable snapshot's trees are then walked, and each
 * tree and chunk that the index lacks (lost by an earlier repair without a copy, or a pack deleted by
 * hand) is read from the copy too, into new packs and an index file of their own. The caller holds the
 * exclusive lock. Internal API, no compatibility promise.
 */
public final class PackRepair {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PackRepair.class);

  /**
   * What a repair found and did.
   *
   * @param packsChecked packs read and checked
   * @param repairedPacks damaged or missing packs replaced (deleted, unless a dry run)
   * @param blobsSalvaged blobs of those packs found intact, in them or in another pack
   * @param blobsFromCopy blobs read from the copy instead (also those the tree walk found missing)
   * @param lostBlobs blobs neither the packs nor the copy had intact: no longer indexed
   * @param newPacks packs written (none in a dry run)
   * @param problems what was wrong with each repaired pack
   */
  public record Result(int packsChecked, List<ObjectId> repairedPacks, long blobsSalvaged, long blobsFromCopy,
      List<ObjectId> lostBlobs, List<ObjectId> newPacks, List<String> problems) {}

  /** Packs read and checked at once ahead of the repair on remote storage: each is held whole while checked. */
  private static final int CHECKS_AT_ONCE = 4;

  private final EncryptedRepository repo;
  private final EncryptedRepository from;
  /** Packs a check ahead found intact: not read again. */
  private final Set<ObjectId> intact = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final boolean dryRun;
  /** Every pack record of the index files read at the start, by pack. */
  private final Map<ObjectId, IndexFile.PackRecord> records;
  /** Stored size of every pack, from storage's listing. */
  private final Map<ObjectId, Long> stored;
  private final Set<ObjectId> repaired = new LinkedHashSet<>();
  /** Blobs written into new packs in this run. */
  private final Set<ObjectId> written = new HashSet<>();
  /** Blobs read from the copy in this run (written unless a dry run). */
  private final Set<ObjectId> supplied = new HashSet<>();
  private final Set<ObjectId> lost = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();
  private final List<ObjectId> newPacks = new ArrayList<>();
  private int checked;
  private long salvaged;
  private long fromCopy;

  private PackRepair(EncryptedRepository repo, EncryptedRepository from, boolean dryRun,
      Map<ObjectId, IndexFile.PackRecord> records, Map<ObjectId, Long> stored) {
    this.repo = repo;
    this.from = from;
    this.dryRun = dryRun;
    this.records = records;
    this.stored = stored;
  }

  /**
   * Checks {@code packRefs} (ids or unique prefixes of packs the index lists; all of them when empty),
   * and replaces those damaged or missing from storage, as described above.
   *
   * @param from a copy sharing this repository's chunking to read lost blobs from, or null
   * @param dryRun reads and checks everything, writes and deletes nothing
   * @param listener progress: packs (as files) and their stored bytes checked, of those to check
   * @throws IntegrityException if an index file is damaged (run 'repair index' first); nothing changes
   * @throws ConfigurationException if {@code from} does not share this repository's chunking
   * @throws dev.cairn.backup.StorageException if storage fails; nothing is indexed or deleted then,
   *     unless the new index was written (then running it again finishes the repair)
   */
  public static Result run(EncryptedRepository repo, List<String> packRefs, EncryptedRepository from, boolean dryRun,
      ProgressListener listener) {
    return run(repo, packRefs, from, dryRun, listener, null);
  }

  /**
   * As {@link #run(EncryptedRepository, List, EncryptedRepository, boolean, ProgressListener)}; on storage
   * where reads wait a round trip, the packs are first read and checked a few at a time on
   * {@code executor} (null: one after another), and only those that fail are handled as above.
   */
  public static Result run(EncryptedRepository repo, List<String> packRefs, EncryptedRepository from, boolean dryRun,
      ProgressListener listener, java.util.concurrent.Executor executor) {
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
    // what the index files say now: these, and only these, are superseded at the end
    List<ObjectId> oldIndexes = repo.list(FileType.INDEX);
    Map<ObjectId, IndexFile.PackRecord> records = new LinkedHashMap<>();
    repo.loadEach(oldIndexes,
        id -> IndexFile.decode(repo.loadUnpacked(FileType.INDEX, id), ObjectStore.name(FileType.INDEX, id)),
        f -> f.packs().forEach(p -> records.putIfAbsent(p.id(), p)));
    List<ObjectId> indexed = new ArrayList<>(records.keySet());
    indexed.sort(null);
    Set<ObjectId> candidates = new LinkedHashSet<>();
    if (packRefs.isEmpty()) {
      candidates.addAll(indexed);
    } else {
      for (String ref : packRefs) {
        candidates.add(IdPrefixes.resolve(indexed, ref, "pack", "'cairn verify' names damaged and missing packs"
            + " (a pack in storage that no index file lists needs 'cairn repair index')"));
      }
    }
    // the snapshots to walk, read before anything changes (a damaged one or one of a newer format is skipped)
    List<Snapshot> snapshots = from != null && packRefs.isEmpty()
        ? Snapshots.skippingUnreadable(repo, "the blobs only it needs are not looked for") : List.of();
    Map<ObjectId, Long> stored = repo.packSizes();
    PackRepair run = new PackRepair(repo, from, dryRun, records, stored);
    ProgressTracker progress = new ProgressTracker("repair packs", listener, candidates.size(),
        candidates.stream().mapToLong(p -> stored.getOrDefault(p, 0L)).sum());
    int window = Math.min(CHECKS_AT_ONCE, repo.storage().parallelReads());
    if (executor != null && window > 1) {
      run.intact.addAll(run.checkAhead(candidates, executor, window, progress));
    }
    try {
      try (PackRewriter rewriter = new PackRewriter(repo)) {
        for (ObjectId pack : candidates) {
          run.checkAndReplace(pack, rewriter, progress);
        }
        if (!run.repaired.isEmpty() && !dryRun) {
          List<IndexFile.PackRecord> kept = new ArrayList<>();
          records.forEach((id, r) -> {
            if (!run.repaired.contains(id)) {
              kept.add(r);
            }
          });
          rewriter.writeIndexOf(kept, oldIndexes);
          run.newPacks.addAll(rewriter.finish());
          // the replaced packs go first: if this stops before the old index files are deleted too, the next
          // run finds those packs missing and their blobs in the new packs
          for (ObjectId pack : run.repaired) {
            repo.delete(FileType.PACK, pack);
          }
          for (ObjectId old : oldIndexes) {
            repo.delete(FileType.INDEX, old);
          }
        }
      }
      if (!snapshots.isEmpty()) {
        repo.refreshIndex();
        try (PackRewriter rewriter = new PackRewriter(repo)) {
          run.fetchMissing(snapshots, rewriter);
          List<ObjectId> more = rewriter.finish();
          if (!more.isEmpty()) {
            rewriter.writeIndexOf(List.of(), List.of()); // an index of the new packs only, as a backup writes
            run.newPacks.addAll(more);
          }
        }
      }
    } finally {
      repo.refreshIndex(); // never go on with an index naming deleted packs
    }
    progress.emit();
    LOG.info("repaired {} packs: {} blobs intact, {} from the copy, {} lost", run.repaired.size(), run.salvaged,
        run.fromCopy, run.lost.size());
    return new Result(run.checked, new ArrayList<>(run.repaired), run.salvaged, run.fromCopy,
        new ArrayList<>(run.lost), run.newPacks, run.problems);
  }

  /**
   * Reads and checks the stored {@code candidates}, {@code window} at a time on {@code executor}; returns
   * those found intact. A failure here is not final: such a pack is read and checked again in the
   * repair itself, which also decides about damage and reports storage errors.
   */
  private Set<ObjectId> checkAhead(Set<ObjectId> candidates, java.util.concurrent.Executor executor, int window,
      ProgressTracker progress) {
    Set<ObjectId> ok = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(window);
    List<java.util.concurrent.CompletableFuture<Void>> all = new ArrayList<>();
    for (ObjectId pack : candidates) {
      Long size = stored.get(pack);
      if (size == null) {
        continue;
      }
      slots.acquireUninterruptibly();
      all.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
        IndexFile.PackRecord record = records.get(pack);
        List<BlobLocation> blobs = new ArrayList<>(record.entries().size());
        record.entries().forEach(e -> blobs.add(repo.location(pack, e)));
        if (PackChecker.check(repo, pack, blobs, record.salt(), readWhole(pack, size)).ok()) {
          ok.add(pack);
          progress.bytes(size, pack.shortHex()); // counted as it goes: a large repository takes hours
          progress.file(pack.shortHex());
        }
      }, executor).whenComplete((v, e) -> slots.release()));
    }
    for (var f : all) {
      try {
        f.join();
      } catch (java.util.concurrent.CompletionException e) {
        // read again, one at a time, by the repair: a storage error is reported there
      }
    }
    return ok;
  }

  /** Checks {@code pack} (unless it is missing) and, if damaged or missing, writes what of it is needed. */
  private void checkAndReplace(ObjectId pack, PackRewriter rewriter, ProgressTracker progress) {
    IndexFile.PackRecord record = records.get(pack);
    if (intact.contains(pack)) {
      checked++; // its progress was counted when it was checked ahead
      return;
    }
    List<BlobLocation> blobs = new ArrayList<>(record.entries().size());
    record.entries().forEach(e -> blobs.add(repo.location(pack, e)));
    byte[] data = null;
    Set<ObjectId> damaged = new HashSet<>();
    Long size = stored.get(pack);
    if (size == null) {
      size = statSize(pack); // one listing may miss an object: only the pack itself says it is gone
    }
    if (size == null) {
      problems.add("pack " + pack.hex() + " is in the index but missing from storage");
      blobs.forEach(b -> damaged.add(b.id()));
    } else {
      data = readWhole(pack, size);
      PackCheck check = PackChecker.check(repo, pack, blobs, record.salt(), data);
      if (!check.ok()) {
        data = readWhole(pack, size); // once more: damage must be in storage, not in one read
        check = PackChecker.check(repo, pack, blobs, record.salt(), data);
      }
      checked++;
      progress.bytes(size, pack.shortHex());
      if (check.ok()) {
        progress.file(pack.shortHex());
        return;
      }
      problems.addAll(check.problems());
      damaged.addAll(check.damagedBlobs());
    }
    progress.file(pack.shortHex());
    repaired.add(pack);
    LOG.info("pack {} is {}{}", pack.shortHex(), data != null ? "damaged" : "missing", dryRun ? "" : "; replacing it");
    javax.crypto.SecretKey key = PackFormat.packKey(repo.masterKeys(), record.salt());
    Map<ObjectId, List<BlobLocation>> elsewhere = otherLocations(blobs);
    for (BlobLocation b : blobs) {
      if (written.contains(b.id()) || supplied.contains(b.id()) || lost.contains(b.id())) {
        continue; // listed twice, or by two replaced packs: handled
      }
      if (intactElsewhere(elsewhere.getOrDefault(b.id(), List.of()))) {
        salvaged++;
        continue; // another pack that stays holds it: the new index lists it there
      }
      if (data != null && !damaged.contains(b.id())) {
        byte[] plain = repo.openBlob(b, key, data, (int) b.offset()); // checked intact in these very bytes
        salvaged++;
        written.add(b.id());
        if (!dryRun) {
          rewriter.add(b.type(), b.id(), plain);
        }
        continue;
      }
      supply(b.type(), b.id(), rewriter);
    }
  }

  /**
   * Where else the index files list the blobs of {@code blobs}: in packs that are stored and not
   * replaced (so far). One pass over every record.
   */
  private Map<ObjectId, List<BlobLocation>> otherLocations(List<BlobLocation> blobs) {
    Set<ObjectId> wanted = new HashSet<>();
    ObjectId self = blobs.isEmpty() ? null : blobs.get(0).pack();
    blobs.forEach(b -> wanted.add(b.id()));
    Map<ObjectId, List<BlobLocation>> out = new HashMap<>();
    for (IndexFile.PackRecord r : records.values()) {
      if (r.id().equals(self) || repaired.contains(r.id()) || !stored.containsKey(r.id())) {
        continue;
      }
      for (PackEntry e : r.entries()) {
        if (wanted.contains(e.id())) {
          out.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(repo.location(r.id(), e));
        }
      }
    }
    return out;
  }

  /** Whether one of {@code locations} holds the blob intact (each is read and checked until one is). */
  private boolean intactElsewhere(List<BlobLocation> locations) {
    for (BlobLocation loc : locations) {
      if (repaired.contains(loc.pack())) {
        continue; // found damaged since
      }
      try {
        repo.openBlob(loc, PackFormat.packKey(repo.masterKeys(), records.get(loc.pack()).salt()),
            readExactly(ObjectStore.name(FileType.PACK, loc.pack()), loc.offset(), loc.length()), 0);
        return true;
      } catch (IntegrityException damagedThereToo) {
        // try the next
      }
    }
    return false;
  }

  /** Reads blob {@code id} from the copy into {@code rewriter}; else it is lost. Returns its content, or null. */
  private byte[] supply(dev.cairn.backup.internal.repository.BlobType type, ObjectId id, PackRewriter rewriter) {
    byte[] plain = null;
    if (from != null && from.lookup(id).isPresent()) {
      try {
        plain = from.readBlob(id);
      } catch (IntegrityException e) {
        LOG.warn("blob {} is damaged in {} too: {}", id.shortHex(), from.storage().location(), e.getMessage());
      } catch (StorageException e) {
        if (!(e.getCause() instanceof NoSuchFileException)) {
          throw e; // the copy cannot be read right now: nothing is given up for that
        }
        LOG.warn("blob {} is not in {} either: {}", id.shortHex(), from.storage().location(), e.getMessage());
      }
    }
    if (plain == null) {
      lost.add(id);
      return null;
    }
    fromCopy++;
    supplied.add(id);
    if (!dryRun) {
      rewriter.add(type, id, plain);
    }
    return plain;
  }

  /**
   * Walks {@code snapshots}' trees and reads each tree and chunk that the index lacks from the copy
   * (each once; one lost before is not tried again). A damaged tree still in the index is read from
   * the copy too.
   */
  private void fetchMissing(List<Snapshot> snapshots, PackRewriter rewriter) {
    Set<ObjectId> seenTrees = new HashSet<>();
    Deque<ObjectId> todo = new ArrayDeque<>();
    for (Snapshot s : snapshots) {
      for (SnapshotSource src : s.sources()) {
        todo.push(src.tree());
      }
    }
    while (!todo.isEmpty()) {
      ObjectId tree = todo.pop();
      if (!seenTrees.add(tree)) {
        continue;
      }
      byte[] data = readTree(tree, rewriter);
      if (data == null) {
        continue;
      }
      for (Node n : TreeCodec.decode(data, "tree " + tree.shortHex())) {
        for (ObjectId chunk : n.content()) {
          if (!lost.contains(chunk) && !supplied.contains(chunk) && !repo.hasBlob(chunk)) {
            supply(dev.cairn.backup.internal.repository.BlobType.DATA, chunk, rewriter);
          }
        }
        if (n.subtree() != null) {
          todo.push(n.subtree());
        }
      }
    }
  }

  private byte[] readTree(ObjectId tree, PackRewriter rewriter) {
    if (lost.contains(tree)) {
      return null;
    }
    if (supplied.contains(tree)) {
      return from.readBlob(tree); // read from the copy before (in a dry run it was not written)
    }
    if (repo.hasBlob(tree)) {
      try {
        return repo.readBlob(tree);
      } catch (IntegrityException damaged) {
        LOG.warn("tree {} is damaged here; reading it from the copy", tree.shortHex());
      }
    }
    return supply(dev.cairn.backup.internal.repository.BlobType.TREE, tree, rewriter);
  }

  /** The stored size of {@code pack}, or null if storage says there is no such object. */
  private Long statSize(ObjectId pack) {
    try {
      return repo.storage().stat(ObjectStore.name(FileType.PACK, pack)).map(o -> o.size()).orElse(null);
    } catch (IOException e) {
      throw new StorageException("could not look up pack " + pack.hex() + " in " + repo.storage().location() + ": "
          + e, false, e);
    }
  }

  /** All of {@code pack}, which storage says is {@code size} bytes; a read that ends early is a storage failure. */
  private byte[] readWhole(ObjectId pack, long size) {
    if (size > Integer.MAX_VALUE - 16) {
      throw new IntegrityException("pack " + pack.hex() + " is " + size + " bytes, larger than any pack Cairn writes");
    }
    return readExactly(ObjectStore.name(FileType.PACK, pack), 0, (int) size);
  }

  /** {@code length} bytes at {@code offset} of {@code name}; a read that ends early is a storage failure, not damage. */
  private byte[] readExactly(String name, long offset, int length) {
    try (InputStream in = repo.storage().get(name, offset, length)) {
      byte[] b = in.readNBytes(length);
      if (b.length != length) {
        throw new StorageException("reading " + name + " in " + repo.storage().location() + " ended after " + b.length
            + " of " + length + " bytes", false);
      }
      return b;
    } catch (IOException e) {
      boolean missing = e instanceof NoSuchFileException;
      throw new StorageException((missing ? "missing object " : "could not read ") + name + " in "
          + repo.storage().location() + ": " + e.getMessage(), missing, e);
    }
  }
}
