package dev.cairn.backup.internal.snapshot;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import dev.cairn.backup.spi.EntryType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes new snapshots without some of their entries (restic's {@code rewrite} and {@code repair
 * snapshots}): every tree of a snapshot is read, the entries the {@link Filter} drops are left out, and
 * each changed tree is stored anew, up to new root trees; unchanged subtrees keep their ids, so nothing
 * but the changed trees is written. All snapshots' trees are worked out and stored first: a snapshot
 * that fails there fails the whole call before any snapshot is written or removed. Then each new
 * snapshot is written (after its trees are flushed: the snapshot is the commit point, as for a backup)
 * and, if asked, its original deleted. A new snapshot keeps the original's time, host, plan, checks and
 * parent, and gains a tag; its sources' entry and byte counts are those of the new trees. A snapshot
 * nothing is dropped from is left as it is. The caller holds the exclusive lock and has refreshed the
 * index. Internal API, no compatibility promise.
 */
public final class SnapshotRewriter {
  /** Which entries to leave out. */
  public interface Filter {
    /** Why the entry at {@code path} (relative, {@code /}-separated) is left out, or null to keep it. */
    String drop(String path, Node node);
  }

  /**
   * What happened to one snapshot.
   *
   * @param original the snapshot rewritten
   * @param rewritten the new snapshot, or null in a dry run
   * @param removed the first {@link #SAMPLE} paths left out, in tree order, with why
   * @param removedPaths how many paths were left out (a directory counts once)
   * @param removedEntries entries left out, those below removed directories included (where readable)
   * @param removedBytes content bytes of the files left out
   * @param existed true if {@code rewritten} was there already (an earlier run wrote it): not written again
   */
  public record Change(Snapshot original, Snapshot rewritten, Map<String, String> removed, long removedPaths,
      long removedEntries, long removedBytes, boolean existed) {}

  /** Removed paths kept per tree and per snapshot for the report: memory stays bounded however many go. */
  public static final int SAMPLE = 1000;

  private final EncryptedRepository repo;
  private final Filter filter;
  private final boolean emptyLostTrees;
  private final boolean dryRun;
  /** (path, old tree id) -> the rewritten tree, shared by the snapshots of one run. */
  private final Map<String, Result> memo = new HashMap<>();
  /** Trees stored in this run and not flushed yet: the repository cannot read them until it flushes. */
  private final java.util.Set<ObjectId> pending = new java.util.HashSet<>();
  /** In a dry run, the trees it would store, up to {@link #DRY_RUN_CACHE} bytes: it may need one again. */
  private final Map<ObjectId, byte[]> wouldStore = new LinkedHashMap<>();
  private long wouldStoreBytes;
  private static final long DRY_RUN_CACHE = 32L << 20;
  /** Entries and bytes below a subtree, by its id. */
  private final Map<ObjectId, long[]> counted = new HashMap<>();

  /**
   * What rewriting one tree gave.
   *
   * @param entries entries below the new tree
   * @param bytes content bytes below the new tree
   * @param sample the first {@link #SAMPLE} paths left out below the old tree, with why
   * @param removedPaths how many paths were left out below it
   * @param removedEntries entries left out below the old tree
   * @param removedBytes content bytes left out below the old tree
   */
  private record Result(ObjectId tree, List<String[]> sample, long removedPaths, long entries, long bytes,
      long removedEntries, long removedBytes) {
    boolean changed() {
      return removedPaths > 0;
    }
  }

  private final dev.cairn.backup.internal.backup.ProgressTracker progress;

  private SnapshotRewriter(EncryptedRepository repo, Filter filter, boolean emptyLostTrees, boolean dryRun,
      dev.cairn.backup.internal.backup.ProgressTracker progress) {
    this.repo = repo;
    this.filter = filter;
    this.emptyLostTrees = emptyLostTrees;
    this.dryRun = dryRun;
    this.progress = progress;
  }

  /**
   * Rewrites the sources {@code sources} selects of {@code snapshots} without the entries {@code filter}
   * drops.
   *
   * @param existing every snapshot of the repository, to find rewrites an earlier run wrote already
   * @param emptyLostTrees replace a directory whose tree is in no pack by an empty one, as a removal
   *     (repair); else such a tree fails the rewrite. A tree that is indexed but cannot be read fails
   *     either way (read twice): 'repair packs' decides what is lost, not one read
   * @param tag added to each new snapshot's tags
   * @param completeAfter whether a new snapshot may stay complete (false for a repair: data is lost)
   * @param forget delete each original once its replacement is written
   * @param dryRun read everything, write nothing
   * @param listener progress: trees read (as files), of snapshots done
   * @throws IntegrityException if a tree cannot be read (nothing is written or removed then)
   */
  public static List<Change> rewrite(EncryptedRepository repo, List<Snapshot> existing, List<Snapshot> snapshots,
      Predicate<SnapshotSource> sources, Filter filter, boolean emptyLostTrees, String tag, boolean completeAfter,
      boolean forget, boolean dryRun, dev.cairn.backup.ProgressListener listener) {
    try (EncryptedRepository.WriteOperation writes = repo.beginWrites()) {
      return rewriteWriting(repo, existing, snapshots, sources, filter, emptyLostTrees, tag, completeAfter, forget,
          dryRun, listener);
    }
  }

  private static List<Change> rewriteWriting(EncryptedRepository repo, List<Snapshot> existing,
      List<Snapshot> snapshots, Predicate<SnapshotSource> sources, Filter filter, boolean emptyLostTrees, String tag,
      boolean completeAfter, boolean forget, boolean dryRun, dev.cairn.backup.ProgressListener listener) {
    SnapshotRewriter r = new SnapshotRewriter(repo, filter, emptyLostTrees, dryRun,
        new dev.cairn.backup.internal.backup.ProgressTracker(tag, listener, -1, -1));
    List<Change> changes = new ArrayList<>();
    List<List<SnapshotSource>> newSources = new ArrayList<>();
    for (Snapshot s : snapshots) {
      List<SnapshotSource> out = new ArrayList<>();
      Map<String, String> removed = new LinkedHashMap<>();
      long paths = 0;
      long entries = 0;
      long bytes = 0;
      for (SnapshotSource src : s.sources()) {
        if (!sources.test(src)) {
          out.add(src);
          continue;
        }
        Result root = r.tree(src.tree(), "");
        String prefix = s.sources().size() > 1 ? src.name() + ":" : "";
        for (String[] p : root.sample()) {
          if (removed.size() < SAMPLE) {
            removed.put(prefix + p[0], p[1]);
          }
        }
        paths += root.removedPaths();
        entries += root.removedEntries();
        bytes += root.removedBytes();
        out.add(!root.changed() ? src : new SnapshotSource(src.name(), src.type(), root.tree(), src.metadata(),
            src.verifications(), root.entries(), root.bytes()));
      }
      if (paths > 0) {
        changes.add(new Change(s, null, removed, paths, entries, bytes, false));
        newSources.add(out);
      }
    }
    r.progress.emit();
    // an earlier run (without --forget) wrote these already: the same time, host and plan, this tag, and
    // the very trees worked out now. Not written twice; with forget, the original still goes
    List<Change> found = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      Snapshot twin = twin(existing, rewritten(c.original(), newSources.get(i), tag, completeAfter));
      found.add(twin == null ? c : new Change(c.original(), twin, c.removed(), c.removedPaths(), c.removedEntries(),
          c.removedBytes(), true));
    }
    if (dryRun || found.isEmpty()) {
      return found;
    }
    repo.flush(); // every new tree is stored and indexed before a snapshot that needs it is written
    List<Change> done = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Change c = found.get(i);
      Snapshot s = c.original();
      Snapshot rewritten = c.rewritten();
      if (!c.existed()) {
        rewritten = Snapshots.save(repo, rewritten(s, newSources.get(i), tag, completeAfter));
      }
      if (forget) {
        repo.delete(FileType.SNAPSHOT, s.id());
      }
      done.add(new Change(s, rewritten, c.removed(), c.removedPaths(), c.removedEntries(), c.removedBytes(),
          c.existed()));
    }
    return done;
  }

  /** {@code original} rewritten: its new sources, its tags and {@code tag}, all else kept (id to be assigned). */
  private static Snapshot rewritten(Snapshot original, List<SnapshotSource> sources, String tag, boolean completeAfter) {
    LinkedHashSet<String> tags = new LinkedHashSet<>(original.tags());
    tags.add(tag);
    return new Snapshot(original.id(), original.time(), original.host(), original.plan(), List.copyOf(tags),
        original.parent(), sources, original.checks(), original.complete() && completeAfter);
  }

  /**
   * The snapshot among {@code existing} that is exactly {@code wouldWrite} (every field but the id): a
   * rewrite an earlier run wrote. Anything the original gained since (a tag) makes it another snapshot.
   */
  private static Snapshot twin(List<Snapshot> existing, Snapshot wouldWrite) {
    for (Snapshot t : existing) {
      Snapshot same = new Snapshot(t.id(), wouldWrite.time(), wouldWrite.host(), wouldWrite.plan(), wouldWrite.tags(),
          wouldWrite.parent(), wouldWrite.sources(), wouldWrite.checks(), wouldWrite.complete());
      if (!t.id().equals(wouldWrite.id()) && t.equals(same)) {
        return t;
      }
    }
    return null;
  }

  /** Tree {@code id} at {@code path} rewritten (stored unless a dry run), with what was left out. */
  private Result tree(ObjectId id, String path) {
    String key = path + "\0" + id.hex();
    Result known = memo.get(key);
    if (known != null) {
      return known;
    }
    List<Node> nodes = nodes(id, path);
    if (nodes == null) {
      Result empty = new Result(store(TreeCodec.encode(List.of())), List.<String[]>of(new String[] {
          path.isEmpty() ? "/" : path,
          "its directory listing (tree " + id.shortHex() + ") is in no pack; restored as an empty directory"}), 1, 0, 0,
          0, 0);
      memo.put(key, empty);
      return empty;
    }
    List<Node> kept = new ArrayList<>(nodes.size());
    List<String[]> sample = new ArrayList<>();
    long paths = 0;
    long entries = 0;
    long bytes = 0;
    long removedEntries = 0;
    long removedBytes = 0;
    for (Node n : nodes) {
      String p = path.isEmpty() ? n.name() : path + "/" + n.name();
      String why = filter.drop(p, n);
      if (why != null) {
        paths++;
        if (sample.size() < SAMPLE) {
          sample.add(new String[] {p, why});
        }
        long[] c = count(n);
        removedEntries += c[0];
        removedBytes += c[1];
        continue;
      }
      entries++;
      bytes += n.type() == EntryType.FILE ? n.size() : 0;
      if (n.type() == EntryType.DIRECTORY && n.subtree() != null) {
        Result sub = tree(n.subtree(), p);
        entries += sub.entries();
        bytes += sub.bytes();
        if (sub.changed()) {
          for (String[] r : sub.sample()) {
            if (sample.size() < SAMPLE) {
              sample.add(r);
            }
          }
          paths += sub.removedPaths();
          removedEntries += sub.removedEntries();
          removedBytes += sub.removedBytes();
          n = new Node(n.name(), n.type(), n.size(), n.modifiedTime(), n.mode(), n.inode(), n.attributes(),
              n.linkTarget(), n.content(), sub.tree());
        }
      }
      kept.add(n);
    }
    Result result = new Result(paths == 0 ? id : store(TreeCodec.encode(kept)), List.copyOf(sample), paths, entries,
        bytes, removedEntries, removedBytes);
    memo.put(key, result);
    return result;
  }

  /**
   * The nodes of tree {@code id}, or null if it is in no pack and lost trees become empty directories.
   *
   * @throws IntegrityException if it is in no pack otherwise, or indexed but damaged (read twice)
   */
  private List<Node> nodes(ObjectId id, String path) {
    byte[] bytes = null;
    if (dryRun) {
      bytes = wouldStore.get(id);
      if (bytes == null && pending.contains(id)) {
        throw new IntegrityException("dry run: tree " + id.shortHex() + " at '" + path + "' would be written by this"
            + " run and is needed again; run without the dry run");
      }
    } else if (pending.contains(id)) {
      repo.flush(); // stored in this run (a lost tree written anew, met again at another path): readable after this
      pending.clear();
    }
    if (bytes == null) {
      if (!repo.hasBlob(id)) {
        if (emptyLostTrees) {
          return null;
        }
        throw new IntegrityException("tree " + id.shortHex() + " at '" + path + "' is in no pack; 'cairn repair"
            + " snapshots' writes snapshots without what is lost");
      }
      try {
        bytes = repo.readBlob(id);
      } catch (IntegrityException first) {
        try {
          bytes = repo.readBlob(id); // once more: a read that went wrong is not damage
        } catch (IntegrityException e) {
          throw new IntegrityException("tree " + id.shortHex() + " at '" + path + "' is damaged (" + e.getMessage()
              + "); nothing was changed. Run 'cairn repair packs' first (with --from another copy, it may bring it"
              + " back; else it takes it out of the index, and this leaves the directory empty)", e);
        }
      }
    }
    progress.file(path);
    return TreeCodec.decode(bytes, "tree " + id.shortHex());
  }

  /** Entries and content bytes of {@code n} and everything below it that can be read (memoized by subtree). */
  private long[] count(Node n) {
    long[] c = {1, n.type() == EntryType.FILE ? n.size() : 0};
    if (n.type() == EntryType.DIRECTORY && n.subtree() != null) {
      long[] below = counted.get(n.subtree());
      if (below == null) {
        below = new long[2];
        List<Node> children = null;
        try {
          children = wouldStore.containsKey(n.subtree()) || pending.contains(n.subtree()) || repo.hasBlob(n.subtree())
              ? nodes(n.subtree(), "") : null;
        } catch (IntegrityException e) {
          // what is below a damaged tree that is left out anyway cannot be counted
        }
        for (Node b : children == null ? List.<Node>of() : children) {
          long[] sub = count(b);
          below[0] += sub[0];
          below[1] += sub[1];
        }
        counted.put(n.subtree(), below);
      }
      c[0] += below[0];
      c[1] += below[1];
    }
    return c;
  }

  private ObjectId store(byte[] tree) {
    ObjectId id = repo.chunkId(tree, 0, tree.length);
    if (dryRun) {
      if (wouldStoreBytes + tree.length <= DRY_RUN_CACHE && wouldStore.putIfAbsent(id, tree) == null) {
        wouldStoreBytes += tree.length;
      } else if (!wouldStore.containsKey(id)) {
        pending.add(id); // not kept: asked for again, the dry run says so
      }
    } else if (repo.addBlob(BlobType.TREE, id, tree, 0, tree.length)) {
      pending.add(id);
    }
    return id;
  }
}
