package dev.cairn.backup.internal.verify;

import dev.cairn.backup.DataSubset;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.index.IdSet;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import dev.cairn.backup.internal.repository.PackCheck;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import dev.cairn.backup.internal.tree.TreeWalker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
  /** Trees read ahead for the source being walked (remote storage only). */
  private final Map<ObjectId, byte[]> treeCache = new HashMap<>();
  /**
   * Trees walked with nothing damaged below them, each with its height (how many directory levels are
   * below it): not walked again where they fit within {@link TreeWalker#MAX_DEPTH}.
   */
  private final IdSet cleanTrees = new IdSet();
  /**
   * The indexed chunks referenced, a bit per index slot (a set of a million ids did not fit the CLI's
   * heap beside the index), and how many distinct chunks were referenced, indexed or not.
   */
  private final BitSet chunksIndexed = new BitSet();
  private long chunksSeen;
  /** Trees read, for the count of a partial check. */
  private final IdSet seenTrees = new IdSet();
  /** How many times damage was found so far. */
  private long damages;
  private long blobs;
  private long bytesRead;

  private final Executor executor;
  /** Packs being read at once, at most. */
  private static final int PACKS_IN_FLIGHT = 4;

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
    long packsRead = 0;
    Set<ObjectId> toRead = subset.readsData()
        ? new HashSet<>(chooser.apply(packs.stream().filter(stored::contains).toList())) : Set.of();
    // a few packs read at once, their results taken in index order as they come: memory stays at a few
    // packs' checks whatever the repository's size (held to the end, they took some 80 bytes per blob)
    ArrayDeque<ObjectId> window = new ArrayDeque<>();
    Map<ObjectId, CompletableFuture<PackCheck>> reading = new HashMap<>();
    for (ObjectId pack : packs) {
      if (toRead.contains(pack)) {
        // a read starts only once one of the reads before it is taken: never more than PACKS_IN_FLIGHT at once
        while (reading.size() >= PACKS_IN_FLIGHT) {
          ObjectId first = window.poll();
          packsRead += judge(first, reading.remove(first), storedSizes);
        }
        reading.put(pack, CompletableFuture.supplyAsync(() -> repo.checkPack(pack), executor));
      }
      window.add(pack);
    }
    while (!window.isEmpty()) {
      ObjectId first = window.poll();
      packsRead += judge(first, reading.remove(first), storedSizes);
    }
    List<Snapshot> snapshots = Snapshots.all(repo, (id, e) -> {
      damagedSnapshots.add(id);
      problems.add("snapshot " + id.hex() + " cannot be read: " + e.getMessage());
    });
    for (Snapshot s : snapshots) {
      for (SnapshotSource src : s.sources()) {
        checkSource(s, src);
      }
    }
    if (!subset.readsAll()) {
      // a partial read: the count is of what the structural check covered, every chunk and tree referenced
      blobs = chunksSeen + seenTrees.size();
    }
    progress.emit();
    return new VerifyReport(subset.readsAll(), snapshots.size() + countUnreadable(snapshots), packs.size(), blobs,
        bytesRead, new ArrayList<>(damagedPacks), new ArrayList<>(damagedSnapshots), new ArrayList<>(damagedPaths),
        problems, Duration.ofNanos(System.nanoTime() - start), subset, packsRead);
  }

  /**
   * Records what is wrong with {@code pack}: missing or cut short, or what reading it found ({@code check},
   * null if it was not read). Returns 1 if it was read, else 0.
   */
  private int judge(ObjectId pack, CompletableFuture<PackCheck> check, Map<ObjectId, Long> storedSizes) {
    int read = 0;
    Long size = storedSizes.get(pack);
    if (size == null) {
      damagedPacks.add(pack.hex());
      problems.add("pack " + pack.hex() + " is in the index but missing from storage");
      for (BlobLocation b : repo.packContents(pack)) {
        badBlobs.put(b.id(), "its pack " + pack.shortHex() + " is missing");
      }
    } else if (check == null && size >= 0 && size < expectedSize(repo.packContents(pack))) {
      // cut short (a full disk, an interrupted copy): its header, written last, is gone, so are blobs beyond the end
      long expected = expectedSize(repo.packContents(pack));
      damagedPacks.add(pack.hex());
      problems.add("pack " + pack.hex() + " is truncated: " + size + " bytes stored, at least " + expected
          + " expected from the index");
      for (BlobLocation b : repo.packContents(pack)) {
        if (b.offset() + b.length() > size - 4) {
          badBlobs.put(b.id(), "beyond the end of its truncated pack " + pack.shortHex());
        }
      }
    } else if (check != null) {
      PackCheck c = check.join();
      read = 1;
      blobs += c.blobs().size();
      for (BlobLocation b : c.blobs()) {
        bytesRead += b.length();
      }
      if (!c.ok()) {
        damagedPacks.add(pack.hex());
        c.problems().forEach(p -> problems.add("pack " + pack.hex() + ": " + p));
        for (ObjectId id : c.damagedBlobs()) {
          badBlobs.put(id, "damaged in pack " + pack.shortHex());
        }
      }
    }
    progress.file(pack.shortHex());
    return read;
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

  /**
   * Walks a source's trees, depth first with a stack of its own (trees may be thousands of levels deep),
   * checking every chunk. A tree found whole before (in an earlier snapshot: most of a repository's
   * snapshots share most of their trees) is not walked again, and no tree is kept once walked: memory
   * holds the ids of the trees seen and a bit per indexed chunk, not their contents.
   */
  private void checkSource(Snapshot s, SnapshotSource src) {
    if (isClean(src.tree(), 0)) {
      return;
    }
    if (repo.storage().parallelReads() > 1) {
      prefetchTrees(src.tree());
    }
    try {
      Deque<Frame> stack = new ArrayDeque<>();
      List<Node> top = nodes(s, src, "", src.tree(), 0);
      if (top != null) {
        stack.push(new Frame("", src.tree(), top, damages));
      }
      while (!stack.isEmpty()) {
        Frame f = stack.peek();
        if (f.next == f.nodes.size()) {
          stack.pop();
          if (damages == f.damagesBefore) {
            cleanTrees.put(f.tree, f.height);
          }
          if (!stack.isEmpty()) {
            stack.peek().below(f.height);
          }
          continue;
        }
        Node n = f.nodes.get(f.next++);
        String path = f.prefix.isEmpty() ? n.name() : f.prefix + "/" + n.name();
        checkNode(s, src, path, n);
        if (n.subtree() != null) {
          if (isClean(n.subtree(), stack.size())) {
            f.below(cleanTrees.value(n.subtree())); // whole, and not too deep here either: not walked again
          } else {
            List<Node> children = nodes(s, src, path, n.subtree(), stack.size());
            if (children != null) {
              stack.push(new Frame(path, n.subtree(), children, damages));
            }
          }
        }
      }
    } finally {
      treeCache.clear(); // read ahead for this source only
    }
  }

  /** A directory being walked: its tree, its nodes, the next to check, and the damage found before it. */
  private static final class Frame {
    final String prefix;
    final ObjectId tree;
    final List<Node> nodes;
    final long damagesBefore;
    int next;
    /** Directory levels below this one seen so far. */
    int height;

    Frame(String prefix, ObjectId tree, List<Node> nodes, long damagesBefore) {
      this.prefix = prefix;
      this.tree = tree;
      this.nodes = nodes;
      this.damagesBefore = damagesBefore;
    }

    /** Records a subtree of {@code childHeight} levels below this directory. */
    void below(int childHeight) {
      height = Math.max(height, childHeight + 1);
    }
  }

  /** Whether {@code tree}, at {@code depth}, was found whole before and fits within the depth limit there. */
  private boolean isClean(ObjectId tree, int depth) {
    int height = cleanTrees.value(tree);
    return height >= 0 && depth + height <= TreeWalker.MAX_DEPTH;
  }

  /** The nodes of {@code tree} at {@code path}, or null after reporting it damaged. */
  private List<Node> nodes(Snapshot s, SnapshotSource src, String path, ObjectId tree, int depth) {
    try {
      if (depth > TreeWalker.MAX_DEPTH) { // a tree that seems to contain itself is damaged
        throw new dev.cairn.backup.IntegrityException("tree " + tree.shortHex() + " at '" + path + "' is more than "
            + TreeWalker.MAX_DEPTH + " directories deep: it is damaged");
      }
      List<Node> nodes = TreeCodec.decode(loadTree(tree), "tree " + tree.shortHex()
          + (path.isEmpty() ? "" : " at '" + path + "'"));
      seenTrees.add(tree);
      return nodes;
    } catch (RuntimeException e) {
      damage(s, src, path, "tree " + tree.shortHex() + " at '" + path + "' is unreadable: " + e.getMessage());
      return null;
    }
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
          .filter(id -> !treeCache.containsKey(id) && !cleanTrees.contains(id) && !badBlobs.containsKey(id)
              && repo.lookup(id).isPresent())
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
      // below a tree found whole in an earlier snapshot, nothing is walked again: nothing to read
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
    byte[] cached = treeCache.remove(id);
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
    return repo.readBlob(id);
  }

  private void checkNode(Snapshot s, SnapshotSource src, String path, Node node) {
    for (ObjectId id : node.content()) {
      int ordinal = repo.indexOrdinal(id);
      if (ordinal >= 0) {
        if (!chunksIndexed.get(ordinal)) {
          chunksIndexed.set(ordinal);
          chunksSeen++;
        }
      } else if (!badBlobs.containsKey(id)) {
        badBlobs.put(id, "missing from the index");
        chunksSeen++;
      }
      String bad = badBlobs.get(id);
      if (bad != null) {
        damage(s, src, path, "chunk " + id.shortHex() + " of '" + path + "' is " + bad);
        return;
      }
    }
  }

  private void damage(Snapshot s, SnapshotSource src, String path, String what) {
    damages++;
    damagedSnapshots.add(s.id());
    if (damagedPaths.add(new VerifyReport.DamagedPath(s.id(), src.name(), path))) {
      problems.add("snapshot " + s.id().shortHex() + " source '" + src.name() + "': " + what);
    }
  }
}
