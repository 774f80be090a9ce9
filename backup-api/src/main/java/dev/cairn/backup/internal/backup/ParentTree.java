package dev.cairn.backup.internal.backup;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import dev.cairn.backup.internal.tree.TreeWalker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent snapshot's tree of one source, read a directory at a time as the backup asks for entries
 * in it, and forgotten when the source reports the directory {@linkplain #release complete}: memory
 * holds the directories being walked, not the whole parent. A directory's tree is read together with
 * those of the next few directories the walk will need after it, in its depth-first order: those
 * beside it, and below the directories after it whose trees were read ahead already (a few ranged
 * reads, not a round trip per directory on remote storage); at most {@value #PREFETCH_BYTES} bytes of
 * them are kept until they are needed, the oldest dropped first (the walk has passed them).
 *
 * <p>A tree that cannot be read (damaged, missing) is logged once and its directory counts as new: its
 * files are read again. Thread-safe.
 */
final class ParentTree {
  private static final Logger LOG = LoggerFactory.getLogger(ParentTree.class);
  /**
   * Trees read at once: the one asked for and the directories the walk needs after it (for 3,240
   * directories: 134 reads with 32, 41 with 128, 30 with 256).
   */
  static final int PREFETCH = 256;
  /** The most trees read ahead that one look-ahead goes through to find the next ones to read. */
  private static final int PLAN_VISITS = 8 * PREFETCH;
  /** The most bytes of trees read ahead and kept until their directory is walked. */
  static final int PREFETCH_BYTES = 16 << 20;

  private final ObjectId root;
  private static final NavigableMap<String, Node> EMPTY = Collections.emptyNavigableMap();

  private final TreeWalker.BulkLoad load;
  private final String what;
  /** Decoded directories by path ({@code ""}: the root), each by name. */
  private final Map<String, NavigableMap<String, Node>> loaded = new HashMap<>();
  /** Trees read ahead, oldest first. */
  private final Map<ObjectId, byte[]> prefetched = new LinkedHashMap<>();
  /** The subdirectories' trees of trees read ahead, decoded when the look-ahead went through them. */
  private final Map<ObjectId, List<ObjectId>> prefetchedSubtrees = new HashMap<>();
  private long prefetchedBytes;
  private boolean warned;

  /**
   * @param root the root tree of the parent snapshot's source
   * @param load reads trees in bulk
   * @param what the parent snapshot and source, for messages
   */
  ParentTree(ObjectId root, TreeWalker.BulkLoad load, String what) {
    this.root = Objects.requireNonNull(root, "root");
    this.load = Objects.requireNonNull(load, "load");
    this.what = what;
  }

  /** The node at {@code path}, or null if the parent has none there (or it cannot be read). */
  synchronized Node get(String path) {
    int slash = path.lastIndexOf('/');
    return directory(slash < 0 ? "" : path.substring(0, slash)).get(path.substring(slash + 1));
  }

  /** Forgets directory {@code dir} and what is below it: the backup asks for nothing there any more. */
  synchronized void release(String dir) {
    if (dir.isEmpty()) {
      loaded.clear();
      prefetched.clear();
      prefetchedSubtrees.clear();
      prefetchedBytes = 0;
      return;
    }
    String prefix = dir + "/";
    loaded.keySet().removeIf(d -> d.equals(dir) || d.startsWith(prefix));
  }

  /** How many directories are held decoded now; for tests. */
  synchronized int held() {
    return loaded.size();
  }

  /** The nodes of directory {@code dir} by name (empty if the parent has no such directory). */
  private NavigableMap<String, Node> directory(String dir) {
    NavigableMap<String, Node> nodes = loaded.get(dir);
    if (nodes != null) {
      return nodes;
    }
    // down from the nearest directory held (the root at worst), a level at a time: no recursion, as
    // trees may be thousands of levels deep
    List<String> missing = new ArrayList<>();
    for (String d = dir; !loaded.containsKey(d); d = parentOf(d)) {
      missing.add(d);
      if (d.isEmpty()) {
        break;
      }
    }
    for (int i = missing.size() - 1; i >= 0; i--) {
      String d = missing.get(i);
      if (d.isEmpty()) {
        loaded.put("", read("", root));
        continue;
      }
      NavigableMap<String, Node> up = loaded.get(parentOf(d));
      Node self = up.get(nameOf(d));
      if (self == null || self.subtree() == null) {
        loaded.put(d, EMPTY);
        continue;
      }
      loaded.put(d, read(d, self.subtree()));
    }
    return loaded.get(dir);
  }

  /**
   * The trees the walk needs after directory {@code dir} (whose tree is {@code id}, and whose parents
   * are loaded) and that are not read yet, at most {@code PREFETCH - 1}, in the walk's depth-first order:
   * the directories after {@code dir} beside it, then after each of its parents; below a directory whose
   * tree was read ahead, its subdirectories (its own subdirectories are not known before it is read).
   */
  private List<ObjectId> ahead(String dir, ObjectId id) {
    List<ObjectId> after = new ArrayList<>();
    Set<ObjectId> seen = new HashSet<>();
    seen.add(id);
    int visits = 0;
    for (String at = dir; !at.isEmpty(); at = parentOf(at)) {
      NavigableMap<String, Node> up = loaded.get(parentOf(at));
      if (up == null) {
        break;
      }
      for (Node n : up.tailMap(nameOf(at), false).values()) {
        if (n.subtree() == null) {
          continue;
        }
        // depth first below n, through the trees already read ahead: a stack of its own, as trees may be
        // thousands of levels deep
        Deque<ObjectId> stack = new ArrayDeque<>();
        stack.push(n.subtree());
        while (!stack.isEmpty()) {
          if (after.size() == PREFETCH - 1 || visits == PLAN_VISITS) {
            return after;
          }
          ObjectId t = stack.pop();
          if (!seen.add(t)) {
            continue;
          }
          if (!prefetched.containsKey(t)) {
            after.add(t);
            continue;
          }
          visits++;
          List<ObjectId> below = prefetchedSubtrees(t);
          for (int i = below.size() - 1; i >= 0; i--) {
            stack.push(below.get(i));
          }
        }
      }
    }
    return after;
  }

  /** The subdirectories' trees of read-ahead tree {@code t}, in name order (none if it does not decode). */
  private List<ObjectId> prefetchedSubtrees(ObjectId t) {
    List<ObjectId> below = prefetchedSubtrees.get(t);
    if (below == null) {
      below = new ArrayList<>();
      try {
        for (Node n : TreeCodec.decode(prefetched.get(t), "tree " + t.shortHex())) {
          if (n.subtree() != null) {
            below.add(n.subtree());
          }
        }
      } catch (RuntimeException e) {
        below.clear(); // reported when its directory is read
      }
      prefetchedSubtrees.put(t, below);
    }
    return below;
  }

  /**
   * Decodes tree {@code id} of directory {@code dir} (whose parents are loaded), reading the trees the
   * walk needs next along with it if it must be read.
   */
  private NavigableMap<String, Node> read(String dir, ObjectId id) {
    String name = "tree " + id.shortHex() + (dir.isEmpty() ? "" : " at '" + dir + "'");
    try {
      byte[] bytes = takePrefetched(id);
      if (bytes == null) {
        bytes = fetch(id, dir.isEmpty() ? List.of() : ahead(dir, id));
      }
      NavigableMap<String, Node> nodes = new TreeMap<>();
      for (Node n : TreeCodec.decode(bytes, name)) {
        nodes.put(n.name(), n);
      }
      return nodes;
    } catch (RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.warn("{} of the parent snapshot ({}) is unreadable: the files below it are read again: {}", name,
            what, e.getMessage());
      }
      return EMPTY;
    }
  }

  /** Reads tree {@code id}, and the trees {@code along} into the read-ahead as far as it has room. */
  private byte[] fetch(ObjectId id, List<ObjectId> along) {
    List<ObjectId> ids = new ArrayList<>();
    ids.add(id);
    along.stream().filter(a -> !a.equals(id) && !prefetched.containsKey(a)).distinct().forEach(ids::add);
    Map<ObjectId, byte[]> got;
    try {
      got = load.load(ids);
    } catch (RuntimeException e) {
      if (ids.size() == 1) {
        throw e;
      }
      got = load.load(List.of(id)); // a damaged tree beside it must not cost this one
    }
    byte[] bytes = got.get(id);
    if (bytes == null) {
      throw new IntegrityException("tree " + id.shortHex() + " was not loaded");
    }
    List<ObjectId> extra = ids.subList(1, ids.size());
    Set<ObjectId> batch = new HashSet<>(extra);
    for (ObjectId a : extra) {
      byte[] b = got.get(a);
      if (b == null || prefetched.containsKey(a) || b.length > PREFETCH_BYTES) {
        continue;
      }
      // make room by dropping the oldest trees read ahead, which the walk has most likely passed (a
      // directory with no file to look up below it never takes its tree), but none of this batch
      while (prefetchedBytes + b.length > PREFETCH_BYTES && !prefetched.isEmpty()) {
        ObjectId oldest = prefetched.keySet().iterator().next();
        if (batch.contains(oldest)) {
          break;
        }
        takePrefetched(oldest);
      }
      if (prefetchedBytes + b.length > PREFETCH_BYTES) {
        break; // the rest of the batch does not fit: the walk needs these first
      }
      prefetched.put(a, b);
      prefetchedBytes += b.length;
    }
    return bytes;
  }

  /** Removes tree {@code id} from the read-ahead and returns it, or null if it is not there. */
  private byte[] takePrefetched(ObjectId id) {
    byte[] bytes = prefetched.remove(id);
    if (bytes != null) {
      prefetchedBytes -= bytes.length;
      prefetchedSubtrees.remove(id);
    }
    return bytes;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
