package dev.cairn.backup.internal.tree;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Collects the entries of one source during a backup (from any number of threads) and turns them
 * into trees, handing each serialized tree to a store function. Directories implied by paths get a
 * tree even without an entry of their own.
 *
 * <p>A directory's tree is written as soon as the source says the directory is {@linkplain
 * #complete complete}, and its entries are then dropped: memory holds the directories still open (on
 * a depth-first walk, those on the path being walked), not every entry of the source. What is still
 * open at {@link #build()} is written then, deepest directory first.
 */
public final class TreeBuilder {
  private final Function<byte[], ObjectId> store;
  /** The directories that may still get entries, by path ({@code ""}: the root). Guarded by this. */
  private final Map<String, Dir> open = new HashMap<>();
  private boolean built;
  private ObjectId emptyTree;

  /** The entries of an open directory, by name. */
  private static final class Dir {
    final Map<String, Child> children = new HashMap<>();
  }

  /** One name in a directory: its own entry (if added) and its tree once written (if a directory). */
  private static final class Child {
    EntryMetadata meta;
    long size;
    String target;
    List<ObjectId> content;
    ObjectId subtree;
  }

  /** @param store stores one serialized tree and returns its id; called while this builder is locked */
  public TreeBuilder(Function<byte[], ObjectId> store) {
    this.store = Objects.requireNonNull(store, "store");
    open.put("", new Dir());
  }

  /**
   * Adds an entry.
   *
   * @throws IllegalStateException if {@code meta.path()} was already added, or is below a directory
   *     already complete
   */
  public synchronized void add(EntryMetadata meta, long size, String linkTarget, List<ObjectId> content) {
    String path = meta.path();
    Child c = openDir(parent(path), path).children.computeIfAbsent(name(path), n -> new Child());
    if (c.meta != null) {
      throw new IllegalStateException("entry '" + path + "' was added twice; paths must be unique in a source");
    }
    c.meta = meta;
    c.size = size;
    c.target = linkTarget;
    c.content = List.copyOf(content);
  }

  /** True if an entry was added at {@code path}. */
  public synchronized boolean contains(String path) {
    Dir d = open.get(parent(path));
    Child c = d == null ? null : d.children.get(name(path));
    return c != null && c.meta != null;
  }

  /** How many entries the open directories hold: what this builder keeps in memory now. */
  public synchronized int held() {
    return open.values().stream().mapToInt(d -> d.children.size()).sum();
  }

  /**
   * Writes the tree of directory {@code path} (and of any directory still open below it): nothing
   * more may be added below it. A directory with nothing added below it is left alone (its own entry,
   * if added, becomes an empty directory).
   *
   * @throws IllegalStateException if a non-directory entry has entries below it
   */
  public synchronized void complete(String path) {
    if (built) {
      throw new IllegalStateException("the trees were already built");
    }
    if (path.isEmpty() || !open.containsKey(path)) {
      return; // the root is written by build(); a directory never opened has no entries below it
    }
    String prefix = path + "/";
    List<String> below = new ArrayList<>();
    for (String dir : open.keySet()) {
      if (dir.equals(path) || dir.startsWith(prefix)) {
        below.add(dir);
      }
    }
    writeDeepestFirst(below);
  }

  /**
   * Writes every tree still open and returns the root tree's id. Call once, after every entry was added.
   *
   * @throws IllegalStateException if a non-directory entry has entries below it
   */
  public synchronized ObjectId build() {
    if (built) {
      throw new IllegalStateException("the trees were already built");
    }
    List<String> dirs = new ArrayList<>(open.keySet());
    sortDeepestFirst(dirs);
    ObjectId root = null;
    for (String dir : dirs) {
      root = write(dir); // the root comes last
    }
    built = true;
    return root;
  }

  /** Writes {@code dirs}, open directories whose open subdirectories are all among them. */
  private void writeDeepestFirst(List<String> dirs) {
    sortDeepestFirst(dirs);
    for (String dir : dirs) {
      write(dir);
    }
  }

  private static void sortDeepestFirst(List<String> dirs) {
    dirs.sort(Comparator.comparingInt(TreeBuilder::depth).reversed().thenComparing(Comparator.naturalOrder()));
  }

  /**
   * Writes the tree of open directory {@code dir}, whose subdirectories are all written, closes it,
   * and returns the tree's id (recorded in the parent directory, unless {@code dir} is the root).
   */
  private ObjectId write(String dir) {
    Dir d = open.remove(dir);
    List<Node> nodes = new ArrayList<>(d.children.size());
    for (Map.Entry<String, Child> e : d.children.entrySet()) {
      String name = e.getKey();
      Child c = e.getValue();
      String path = dir.isEmpty() ? name : dir + "/" + name;
      EntryMetadata meta = c.meta != null ? c.meta : EntryMetadata.directory(path);
      if (c.subtree != null && meta.type() != EntryType.DIRECTORY) {
        throw new IllegalStateException("entry '" + path + "' is a " + meta.type() + " but has entries below it");
      }
      if (meta.type() == EntryType.DIRECTORY) {
        nodes.add(Node.of(name, meta, 0, null, List.of(), c.subtree != null ? c.subtree : emptyTree()));
      } else {
        nodes.add(Node.of(name, meta, c.size, c.target, c.content, null));
      }
    }
    ObjectId id = store.apply(TreeCodec.encode(nodes));
    if (!dir.isEmpty()) {
      openDir(parent(dir), dir).children.computeIfAbsent(name(dir), n -> new Child()).subtree = id;
    }
    return id;
  }

  private ObjectId emptyTree() {
    if (emptyTree == null) {
      emptyTree = store.apply(TreeCodec.encode(List.of()));
    }
    return emptyTree;
  }

  /**
   * The open directory {@code dir}, opened (with its parents) if nothing was added below it yet.
   *
   * @throws IllegalStateException if {@code dir} or a parent of it is already complete
   */
  private Dir openDir(String dir, String adding) {
    Dir d = open.get(dir);
    if (d != null) {
      return d;
    }
    if (built) {
      throw new IllegalStateException("entry '" + adding + "' was added after the trees were built");
    }
    // up to the nearest open directory (the root is open until the end), then open the ones below it
    List<String> missing = new ArrayList<>();
    String at = dir;
    Dir up;
    do {
      missing.add(at);
      at = parent(at);
      up = open.get(at);
    } while (up == null);
    String first = missing.get(missing.size() - 1);
    Child self = up.children.get(name(first));
    if (self != null && self.subtree != null) {
      throw new IllegalStateException("entry '" + adding + "' was added below directory '" + first
          + "', which its source had already reported complete");
    }
    for (String m : missing) {
      open.put(m, new Dir());
    }
    return open.get(dir);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static int depth(String path) {
    if (path.isEmpty()) {
      return 0;
    }
    int d = 1;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        d++;
      }
    }
    return d;
  }
}
