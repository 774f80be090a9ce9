package dev.cairn.backup.internal.tree;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Collects the entries of one source during a backup (from any number of threads) and, at the end,
 * turns them into trees, deepest directory first, handing each serialized tree to a store function.
 * Directories implied by paths get a tree even without an entry of their own.
 */
public final class TreeBuilder {
  private final Map<String, Item> items = new ConcurrentHashMap<>();

  private record Item(EntryMetadata meta, long size, String target, List<ObjectId> content) {}

  /**
   * Adds an entry.
   *
   * @throws IllegalStateException if {@code meta.path()} was already added
   */
  public void add(EntryMetadata meta, long size, String linkTarget, List<ObjectId> content) {
    Item previous = items.putIfAbsent(meta.path(), new Item(meta, size, linkTarget, List.copyOf(content)));
    if (previous != null) {
      throw new IllegalStateException("entry '" + meta.path() + "' was added twice; paths must be unique in a source");
    }
  }

  /** True if an entry was added at {@code path}. */
  public boolean contains(String path) {
    return items.containsKey(path);
  }

  /**
   * Builds every tree and returns the root tree's id. Call once, after every entry was added.
   *
   * @param store stores one serialized tree and returns its id
   * @throws IllegalStateException if a non-directory entry has entries below it
   */
  public ObjectId build(Function<byte[], ObjectId> store) {
    Map<String, Set<String>> children = new HashMap<>();
    children.put("", new HashSet<>());
    for (String path : items.keySet()) {
      String child = path;
      while (true) {
        int slash = child.lastIndexOf('/');
        String parent = slash < 0 ? "" : child.substring(0, slash);
        Set<String> siblings = children.get(parent);
        boolean parentKnown = siblings != null;
        if (!parentKnown) {
          siblings = new HashSet<>();
          children.put(parent, siblings);
        }
        if (!siblings.add(child)) {
          break;
        }
        if (parentKnown || parent.isEmpty()) {
          break;
        }
        child = parent;
      }
    }
    List<String> dirs = new ArrayList<>(children.keySet());
    dirs.sort(Comparator.comparingInt(TreeBuilder::depth).reversed().thenComparing(Comparator.naturalOrder()));
    Map<String, ObjectId> subtrees = new HashMap<>();
    for (String dir : dirs) {
      Item self = items.get(dir);
      if (self != null && self.meta().type() != EntryType.DIRECTORY) {
        throw new IllegalStateException("entry '" + dir + "' is a " + self.meta().type()
            + " but has entries below it");
      }
      List<Node> nodes = new ArrayList<>();
      for (String path : children.get(dir)) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        ObjectId subtree = subtrees.get(path);
        Item item = items.get(path);
        EntryMetadata meta = item != null ? item.meta() : EntryMetadata.directory(path);
        if (subtree != null || meta.type() == EntryType.DIRECTORY) {
          if (subtree == null) {
            subtree = store.apply(TreeCodec.encode(List.of()));
            subtrees.put(path, subtree);
          }
          nodes.add(Node.of(name, meta, 0, null, List.of(), subtree));
        } else {
          nodes.add(Node.of(name, meta, item.size(), item.target(), item.content(), null));
        }
      }
      subtrees.put(dir, store.apply(TreeCodec.encode(nodes)));
    }
    return subtrees.get("");
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
