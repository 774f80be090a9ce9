package dev.cairn.backup.internal.backup;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import dev.cairn.backup.internal.tree.TreeWalker;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent snapshot's tree of one source, read a directory at a time as the backup asks for entries
 * in it, and forgotten when the source reports the directory {@linkplain #release complete}: memory
 * holds the directories being walked, not the whole parent. A directory's tree is read together with
 * those of the next few directories beside it (a few ranged reads, not a round trip per directory on
 * remote storage), at most {@value #PREFETCH_BYTES} bytes of them kept until they are needed.
 *
 * <p>A tree that cannot be read (damaged, missing) is logged once and its directory counts as new: its
 * files are read again. Thread-safe.
 */
final class ParentTree {
  private static final Logger LOG = LoggerFactory.getLogger(ParentTree.class);
  /** Trees read at once: the one asked for and the directories after it. */
  static final int PREFETCH = 32;
  /** The most bytes of trees read ahead and kept until their directory is walked. */
  static final int PREFETCH_BYTES = 16 << 20;

  private final ObjectId root;
  private static final NavigableMap<String, Node> EMPTY = Collections.emptyNavigableMap();

  private final TreeWalker.BulkLoad load;
  private final String what;
  /** Decoded directories by path ({@code ""}: the root), each by name. */
  private final Map<String, NavigableMap<String, Node>> loaded = new HashMap<>();
  private final Map<ObjectId, byte[]> prefetched = new HashMap<>();
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
        loaded.put("", read("", root, List.of()));
        continue;
      }
      NavigableMap<String, Node> up = loaded.get(parentOf(d));
      Node self = up.get(nameOf(d));
      if (self == null || self.subtree() == null) {
        loaded.put(d, EMPTY);
        continue;
      }
      loaded.put(d, read(d, self.subtree(), following(up, nameOf(d))));
    }
    return loaded.get(dir);
  }

  /** The trees of the directories after {@code name} in {@code up}, in name order, to read along. */
  private static List<ObjectId> following(NavigableMap<String, Node> up, String name) {
    List<ObjectId> after = new ArrayList<>();
    for (Node n : up.tailMap(name, false).values()) {
      if (after.size() == PREFETCH - 1) {
        break;
      }
      if (n.subtree() != null) {
        after.add(n.subtree());
      }
    }
    return after;
  }

  /** Decodes tree {@code id} of directory {@code dir}, reading {@code along} with it if it must be read. */
  private NavigableMap<String, Node> read(String dir, ObjectId id, List<ObjectId> along) {
    String name = "tree " + id.shortHex() + (dir.isEmpty() ? "" : " at '" + dir + "'");
    try {
      byte[] bytes = prefetched.remove(id);
      if (bytes != null) {
        prefetchedBytes -= bytes.length;
      } else {
        bytes = fetch(id, along);
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
    along.stream().filter(a -> !a.equals(id) && !prefetched.containsKey(a)).forEach(ids::add);
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
    for (ObjectId a : ids.subList(1, ids.size())) {
      byte[] b = got.get(a);
      if (b != null && prefetchedBytes + b.length <= PREFETCH_BYTES) {
        prefetched.put(a, b);
        prefetchedBytes += b.length;
      }
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
