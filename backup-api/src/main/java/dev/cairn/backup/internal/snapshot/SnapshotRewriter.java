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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes new snapshots without some of their entries (restic's {@code rewrite} and {@code repair
 * snapshots}): every tree of a snapshot is read, the entries the {@link Filter} drops are left out, and
 * each changed tree is stored anew, up to new root trees; unchanged subtrees keep their ids, so nothing
 * but the changed trees is written. The new snapshot keeps the original's time, host, plan, checks and
 * parent, gains a tag, and is written after its trees are stored (the commit point, as for a backup);
 * then, if asked, the original is deleted. A snapshot nothing is dropped from is left as it is. The
 * caller holds the exclusive lock. Internal API, no compatibility promise.
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
   * @param removed each path left out, with why
   * @param removedEntries entries left out, those below removed directories included (where readable)
   * @param removedBytes content bytes of the files left out
   */
  public record Change(Snapshot original, Snapshot rewritten, Map<String, String> removed, long removedEntries,
      long removedBytes) {}

  private final EncryptedRepository repo;
  private final Filter filter;
  private final boolean emptyUnreadableTrees;
  /** (path, old tree id) -> the rewritten tree, shared by the snapshots of one run. */
  private final Map<String, Result> memo = new HashMap<>();
  private ObjectId emptyTree;

  /** What rewriting one tree gave. */
  private record Result(ObjectId tree, Map<String, String> removed, long entries, long bytes) {
    boolean changed() {
      return !removed.isEmpty();
    }
  }

  private SnapshotRewriter(EncryptedRepository repo, Filter filter, boolean emptyUnreadableTrees) {
    this.repo = repo;
    this.filter = filter;
    this.emptyUnreadableTrees = emptyUnreadableTrees;
  }

  /**
   * Rewrites {@code snapshots} without the entries {@code filter} drops.
   *
   * @param emptyUnreadableTrees replace a directory whose tree cannot be read (missing or damaged) by
   *     an empty one, as a removal (repair); else such a tree fails the rewrite
   * @param tag added to each new snapshot's tags
   * @param completeAfter whether a new snapshot may stay complete (false for a repair: data is lost)
   * @param forget delete each original once its replacement is written
   * @param dryRun read everything, write nothing
   * @throws IntegrityException if a tree cannot be read and {@code emptyUnreadableTrees} is false
   */
  public static List<Change> rewrite(EncryptedRepository repo, List<Snapshot> snapshots, Filter filter,
      boolean emptyUnreadableTrees, String tag, boolean completeAfter, boolean forget, boolean dryRun) {
    SnapshotRewriter r = new SnapshotRewriter(repo, filter, emptyUnreadableTrees);
    List<Change> out = new ArrayList<>();
    for (Snapshot s : snapshots) {
      List<SnapshotSource> sources = new ArrayList<>();
      Map<String, String> removed = new java.util.LinkedHashMap<>();
      long entries = 0;
      long bytes = 0;
      for (SnapshotSource src : s.sources()) {
        Result root = r.tree(src.tree(), "", dryRun);
        String prefix = s.sources().size() > 1 ? src.name() + ":" : "";
        root.removed().forEach((path, why) -> removed.put(prefix + path, why));
        entries += root.entries();
        bytes += root.bytes();
        sources.add(!root.changed() ? src : new SnapshotSource(src.name(), src.type(), root.tree(), src.metadata(),
            src.verifications(), Math.max(0, src.entries() - root.entries()), Math.max(0, src.bytes() - root.bytes())));
      }
      if (removed.isEmpty()) {
        continue;
      }
      Snapshot rewritten = null;
      if (!dryRun) {
        LinkedHashSet<String> tags = new LinkedHashSet<>(s.tags());
        tags.add(tag);
        repo.flush(); // the trees are stored and indexed before the snapshot that needs them
        rewritten = Snapshots.save(repo, new Snapshot(s.id(), s.time(), s.host(), s.plan(), List.copyOf(tags),
            s.parent(), sources, s.checks(), s.complete() && completeAfter));
        if (forget) {
          repo.delete(FileType.SNAPSHOT, s.id());
        }
      }
      out.add(new Change(s, rewritten, removed, entries, bytes));
    }
    return out;
  }

  /** Tree {@code id} at {@code path} rewritten (stored unless {@code dryRun}), with what was left out. */
  private Result tree(ObjectId id, String path, boolean dryRun) {
    String key = path + "\0" + id.hex();
    Result known = memo.get(key);
    if (known != null) {
      return known;
    }
    List<Node> nodes;
    try {
      nodes = TreeCodec.decode(repo.readBlob(id), "tree " + id.shortHex());
    } catch (IntegrityException e) {
      if (!emptyUnreadableTrees) {
        throw new IntegrityException("tree " + id.shortHex() + " at '" + path + "' cannot be read (" + e.getMessage()
            + "); run 'cairn verify', and 'cairn repair snapshots' to write snapshots without what is lost", e);
      }
      Result empty = new Result(empty(dryRun), Map.of(path.isEmpty() ? "/" : path,
          "its directory listing cannot be read (" + e.getMessage() + "); restored as an empty directory"), 0, 0);
      memo.put(key, empty);
      return empty;
    }
    List<Node> kept = new ArrayList<>(nodes.size());
    Map<String, String> removed = new java.util.LinkedHashMap<>();
    long entries = 0;
    long bytes = 0;
    for (Node n : nodes) {
      String p = path.isEmpty() ? n.name() : path + "/" + n.name();
      String why = filter.drop(p, n);
      if (why != null) {
        removed.put(p, why);
        long[] count = count(n);
        entries += count[0];
        bytes += count[1];
        continue;
      }
      if (n.type() == EntryType.DIRECTORY && n.subtree() != null) {
        Result sub = tree(n.subtree(), p, dryRun);
        if (sub.changed()) {
          removed.putAll(sub.removed());
          entries += sub.entries();
          bytes += sub.bytes();
          n = new Node(n.name(), n.type(), n.size(), n.modifiedTime(), n.mode(), n.inode(), n.attributes(),
              n.linkTarget(), n.content(), sub.tree());
        }
      }
      kept.add(n);
    }
    Result result = new Result(removed.isEmpty() ? id : store(TreeCodec.encode(kept), dryRun), removed, entries, bytes);
    memo.put(key, result);
    return result;
  }

  /** Entries and content bytes of {@code n} and everything below it that can be read. */
  private long[] count(Node n) {
    long[] c = {1, n.type() == EntryType.FILE ? n.size() : 0};
    if (n.type() == EntryType.DIRECTORY && n.subtree() != null) {
      List<Node> below;
      try {
        below = TreeCodec.decode(repo.readBlob(n.subtree()), "tree " + n.subtree().shortHex());
      } catch (IntegrityException e) {
        return c; // what is below an unreadable tree cannot be counted
      }
      for (Node b : below) {
        long[] sub = count(b);
        c[0] += sub[0];
        c[1] += sub[1];
      }
    }
    return c;
  }

  private ObjectId empty(boolean dryRun) {
    if (emptyTree == null) {
      emptyTree = store(TreeCodec.encode(List.of()), dryRun);
    }
    return emptyTree;
  }

  private ObjectId store(byte[] tree, boolean dryRun) {
    ObjectId id = repo.chunkId(tree, 0, tree.length);
    if (!dryRun) {
      repo.addBlob(BlobType.TREE, id, tree, 0, tree.length);
    }
    return id;
  }
}
