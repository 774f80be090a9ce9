package dev.cairn.backup.internal.tree;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryMetadata;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Finds the entries a predicate accepts in many trees (a source across many snapshots), skipping
 * every directory that was searched before at the same path with the same tree id and held no match:
 * consecutive snapshots share most of their trees, so each unchanged directory is read once, not once
 * per snapshot. The predicate must depend only on the entry (its path and metadata).
 */
public final class TreeSearch {
  private final TreesAhead trees;
  private final Predicate<EntryMetadata> match;
  /**
   * Directories known to hold no match, by the first 128 bits of the SHA-256 of path and tree id: about
   * 80 bytes each instead of a path string; a collision (which would hide a match) cannot be built
   * from chosen file names as it could with a non-cryptographic hash.
   */
  private final Set<Key> empty = new HashSet<>();

  private record Key(long high, long low) {}

  /**
   * A search with {@code match} over trees read through {@code load}; the subdirectories of a directory
   * are read in one bulk load (a round trip per directory on remote storage, not per subdirectory).
   */
  public TreeSearch(TreeWalker.BulkLoad load, Predicate<EntryMetadata> match) {
    this.trees = new TreesAhead(load);
    this.match = match;
  }

  /** Hands {@code found} every matching entry below tree {@code root}, depth first in name order. */
  public void search(ObjectId root, BiConsumer<String, Node> found) {
    if (empty.contains(key("", root))) {
      return;
    }
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame("", root, nodes(root, "")));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next == f.nodes.size()) {
        stack.pop();
        if (!f.matched) {
          empty.add(key(f.prefix, f.tree));
        } else if (!stack.isEmpty()) {
          stack.peek().matched = true;
        }
        continue;
      }
      Node n = f.nodes.get(f.next++);
      String path = f.prefix.isEmpty() ? n.name() : f.prefix + "/" + n.name();
      if (match.test(n.toEntry(path))) {
        f.matched = true;
        found.accept(path, n);
      }
      if (n.subtree() != null && !empty.contains(key(path, n.subtree()))) {
        if (stack.size() > TreeWalker.MAX_DEPTH) {
          throw new IntegrityException("tree " + n.subtree().shortHex() + " at '" + path + "' is more than "
              + TreeWalker.MAX_DEPTH + " directories deep: it is damaged");
        }
        stack.push(new Frame(path, n.subtree(), nodes(n.subtree(), path)));
      }
    }
  }

  private List<Node> nodes(ObjectId tree, String prefix) {
    List<Node> nodes = trees.nodes(tree, "tree " + tree.shortHex() + (prefix.isEmpty() ? "" : " at '" + prefix + "'"));
    // the subdirectories this walk will enter: read them together, before it descends one by one
    List<ObjectId> wanted = new ArrayList<>();
    for (Node n : nodes) {
      ObjectId sub = n.subtree();
      if (sub != null && !empty.contains(key(prefix.isEmpty() ? n.name() : prefix + "/" + n.name(), sub))) {
        wanted.add(sub);
      }
    }
    trees.readAhead(wanted);
    return nodes;
  }

  private static Key key(String path, ObjectId tree) {
    java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(com.google.common.hash.Hashing.sha256().newHasher()
        .putString(path, java.nio.charset.StandardCharsets.UTF_8).putByte((byte) 0).putBytes(tree.toBytes()).hash()
        .asBytes());
    return new Key(h.getLong(), h.getLong());
  }

  private static final class Frame {
    final String prefix;
    final ObjectId tree;
    final List<Node> nodes;
    int next;
    boolean matched;

    Frame(String prefix, ObjectId tree, List<Node> nodes) {
      this.prefix = prefix;
      this.tree = tree;
      this.nodes = new ArrayList<>(nodes);
    }
  }
}
