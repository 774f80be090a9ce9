package dev.cairn.backup.internal.verify;

import dev.cairn.backup.DataSubset;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import dev.cairn.backup.internal.repository.PackCheck;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import dev.cairn.backup.internal.tree.TreeWalker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;

/**
 * Checks a repository. The structural check loads every snapshot and tree and makes sure every chunk
 * they refer to is in the index and its pack is in storage. The read-data check also reads every
 * pack, decrypts every blob and recomputes its id. Either way the report names the damaged packs,
 * the snapshots that refer to damaged or missing data, and the affected paths.
 */
public final class Verifier {
  private final EncryptedRepository repo;
  private final DataSubset subset;
  /** Chooses the packs to read, decrypt and re-hash among those indexed and stored. */
  private final UnaryOperator<List<ObjectId>> chooser;
  private final ProgressTracker progress;
  private final Set<String> damagedPacks = new TreeSet<>();
  private final Set<ObjectId> damagedSnapshots = new LinkedHashSet<>();
  private final Set<VerifyReport.DamagedPath> damagedPaths = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();
  /** Blobs known to be missing or damaged, with why. */
  private final Map<ObjectId, String> badBlobs = new HashMap<>();
  private final Map<ObjectId, byte[]> treeCache = new HashMap<>();
  private long blobs;
  private long bytesRead;

  private final Executor executor;

  private Verifier(EncryptedRepository repo, DataSubset subset, UnaryOperator<List<ObjectId>> chooser,
      ProgressListener listener, Executor executor) {
    this.repo = repo;
    this.subset = subset;
    this.chooser = chooser;
    this.progress = new ProgressTracker("verify", listener, -1, -1);
    this.executor = executor;
  }

  /**
   * Verifies {@code repo}'s structure, and reads and checks the packs {@code chooser} picks (as
   * {@code subset} says) among those both indexed and stored, several at once on {@code executor}.
   */
  public static VerifyReport verify(EncryptedRepository repo, DataSubset subset, UnaryOperator<List<ObjectId>> chooser,
      ProgressListener listener, Executor executor) {
    return new Verifier(repo, subset, chooser, listener, executor).run();
  }

  private VerifyReport run() {
    long start = System.nanoTime();
    for (ObjectId damaged : repo.damagedIndexFiles()) {
      problems.add("index file index/" + damaged.hex() + " is damaged (the packs it listed were found from their"
          + " headers); run 'cairn repair index' to write a sound index");
    }
    List<ObjectId> packs = repo.packs();
    Map<ObjectId, Long> storedSizes = repo.packSizes();
    Set<ObjectId> stored = storedSizes.keySet();
    progress.totals(packs.size(), -1);
    Map<ObjectId, CompletableFuture<PackCheck>> checks = new HashMap<>();
    long packsRead = 0;
    if (subset.readsData()) {
      Set<ObjectId> toRead = new HashSet<>(chooser.apply(packs.stream().filter(stored::contains).toList()));
      // a bounded window of packs in flight, so memory stays at a few packs whatever the repository size
      Semaphore window = new Semaphore(4);
      for (ObjectId pack : packs) {
        if (stored.contains(pack) && toRead.contains(pack)) {
          window.acquireUninterruptibly();
          checks.put(pack, CompletableFuture.supplyAsync(() -> repo.checkPack(pack), executor)
              .whenComplete((r, e) -> window.release()));
        }
      }
    }
    for (ObjectId pack : packs) {
      if (!stored.contains(pack)) {
        damagedPacks.add(pack.hex());
        problems.add("pack " + pack.hex() + " is in the index but missing from storage");
        for (BlobLocation b : repo.packContents(pack)) {
          badBlobs.put(b.id(), "its pack " + pack.shortHex() + " is missing");
        }
      } else if (!checks.containsKey(pack) && storedSizes.get(pack) >= 0
          && storedSizes.get(pack) < expectedSize(repo.packContents(pack))) {
        // cut short (a full disk, an interrupted copy): its header, written last, is gone, so are blobs beyond the end
        long size = storedSizes.get(pack);
        long expected = expectedSize(repo.packContents(pack));
        damagedPacks.add(pack.hex());
        problems.add("pack " + pack.hex() + " is truncated: " + size + " bytes stored, at least " + expected
            + " expected from the index");
        for (BlobLocation b : repo.packContents(pack)) {
          if (b.offset() + b.length() > size - 4) {
            badBlobs.put(b.id(), "beyond the end of its truncated pack " + pack.shortHex());
          }
        }
      } else if (checks.containsKey(pack)) {
        PackCheck check = checks.get(pack).join();
        packsRead++;
        blobs += check.blobs().size();
        for (BlobLocation b : check.blobs()) {
          bytesRead += b.length();
        }
        if (!check.ok()) {
          damagedPacks.add(pack.hex());
          check.problems().forEach(p -> problems.add("pack " + pack.hex() + ": " + p));
          for (ObjectId id : check.damagedBlobs()) {
            badBlobs.put(id, "damaged in pack " + pack.shortHex());
          }
        }
      }
      progress.file(pack.shortHex());
    }
    List<Snapshot> snapshots = Snapshots.all(repo, (id, e) -> {
      damagedSnapshots.add(id);
      problems.add("snapshot " + id.hex() + " cannot be read: " + e.getMessage());
    });
    Set<ObjectId> seenChunks = new HashSet<>();
    for (Snapshot s : snapshots) {
      for (SnapshotSource src : s.sources()) {
        checkSource(s, src, seenChunks);
      }
    }
    if (!subset.readsAll()) {
      // a partial read: the count is of what the structural check covered, every chunk and tree referenced
      blobs = seenChunks.size() + treeCache.size();
    }
    progress.emit();
    return new VerifyReport(subset.readsAll(), snapshots.size() + countUnreadable(snapshots), packs.size(), blobs,
        bytesRead, new ArrayList<>(damagedPacks), new ArrayList<>(damagedSnapshots), new ArrayList<>(damagedPaths),
        problems, Duration.ofNanos(System.nanoTime() - start), subset, packsRead);
  }

  /** The smallest size a pack holding {@code blobs} can have: its blobs, then the header and its length. */
  private static long expectedSize(List<BlobLocation> blobs) {
    long end = dev.cairn.backup.internal.pack.PackFormat.BLOBS_START;
    for (BlobLocation b : blobs) {
      end = Math.max(end, b.offset() + b.length());
    }
    return end + dev.cairn.backup.internal.pack.PackFormat.headerSize(blobs.size());
  }

  private long countUnreadable(List<Snapshot> readable) {
    return damagedSnapshots.stream().filter(id -> readable.stream().noneMatch(s -> s.id().equals(id))).count();
  }

  private void checkSource(Snapshot s, SnapshotSource src, Set<ObjectId> seenChunks) {
    if (repo.storage().parallelReads() > 1) {
      prefetchTrees(src.tree());
    }
    TreeWalker.walk(src.tree(), this::loadTree, (path, node) -> checkNode(s, src, path, node, seenChunks),
        (path, tree, error) -> damage(s, src, path, "tree " + tree.shortHex() + " at '" + path + "' is unreadable: "
            + error.getMessage()));
  }

  /**
   * On storage with a round trip per read, reads a source's trees into the cache a directory level at a
   * time (a few ranged reads per level, as {@link TreeWalker#flatten} does) before the walk below needs
   * them one by one. Whatever fails here (a damaged or missing tree) is left to {@link #loadTree}, which
   * reports it for its path as before.
   */
  private void prefetchTrees(ObjectId root) {
    Set<ObjectId> level = Set.of(root);
    Set<ObjectId> seen = new HashSet<>(level);
    for (int depth = 0; !level.isEmpty() && depth <= TreeWalker.MAX_DEPTH; depth++) {
      List<ObjectId> wanted = level.stream()
          .filter(id -> !treeCache.containsKey(id) && !badBlobs.containsKey(id) && repo.lookup(id).isPresent())
          .toList();
      Map<ObjectId, byte[]> loaded = new HashMap<>();
      for (int i = 0; i < wanted.size(); i += TreeWalker.BATCH) {
        try {
          loaded.putAll(repo.readBlobsById(wanted.subList(i, Math.min(wanted.size(), i + TreeWalker.BATCH))));
        } catch (dev.cairn.backup.IntegrityException e) {
          // one damaged tree fails its batch: those trees are read one by one in the walk
        } catch (RuntimeException e) {
          return; // storage trouble: the walk meets it tree by tree and reports it as before
        }
      }
      treeCache.putAll(loaded);
      Set<ObjectId> next = new LinkedHashSet<>();
      // below a tree that was cached before, an earlier walk has cached what was readable already
      for (ObjectId id : wanted) {
        byte[] tree = loaded.get(id);
        if (tree == null) {
          continue;
        }
        try {
          for (Node n : TreeCodec.decode(tree, "tree " + id.shortHex())) {
            if (n.subtree() != null && seen.add(n.subtree())) {
              next.add(n.subtree());
            }
          }
        } catch (RuntimeException e) {
          // reported by the walk, with its path
        }
      }
      level = next;
    }
  }

  private byte[] loadTree(ObjectId id) {
    byte[] cached = treeCache.get(id);
    if (cached != null) {
      return cached;
    }
    String bad = badBlobs.get(id);
    if (bad != null) {
      throw new dev.cairn.backup.IntegrityException("tree " + id.shortHex() + " is " + bad);
    }
    if (repo.lookup(id).isEmpty()) {
      throw new dev.cairn.backup.IntegrityException("tree " + id.shortHex() + " is missing from the index");
    }
    byte[] tree = repo.readBlob(id);
    treeCache.put(id, tree);
    return tree;
  }

  private void checkNode(Snapshot s, SnapshotSource src, String path, Node node, Set<ObjectId> seenChunks) {
    for (ObjectId id : node.content()) {
      if (seenChunks.add(id) && !badBlobs.containsKey(id) && repo.lookup(id).isEmpty()) {
        badBlobs.put(id, "missing from the index");
      }
      String bad = badBlobs.get(id);
      if (bad != null) {
        damage(s, src, path, "chunk " + id.shortHex() + " of '" + path + "' is " + bad);
        return;
      }
    }
  }

  private void damage(Snapshot s, SnapshotSource src, String path, String what) {
    damagedSnapshots.add(s.id());
    if (damagedPaths.add(new VerifyReport.DamagedPath(s.id(), src.name(), path))) {
      problems.add("snapshot " + s.id().shortHex() + " source '" + src.name() + "': " + what);
    }
  }
}
