package dev.cairn.backup.internal.tree;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.SnapshotDiff.Change;
import dev.cairn.backup.SnapshotDiff.Kind;
import dev.cairn.backup.spi.EntryType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Compares two trees of one source, reading only the directories whose tree ids differ: an unchanged
 * subtree has the same id in both snapshots, since a tree's id is the hash of its encoding. Changes
 * are delivered as they are found, depth first in name order (the order {@code ls} lists entries), so
 * memory stays at the directories on the current path whatever the number of changes. The trees of a
 * directory's differing subdirectories are read in one bulk load, a round trip per directory on
 * remote storage rather than one per subdirectory.
 */
public final class TreeDiff {
  private final String source;
  private final TreesAhead trees;
  private final Consumer<Change> out;

  private TreeDiff(String source, TreeWalker.BulkLoad load, Consumer<Change> out) {
    this.source = source;
    this.trees = new TreesAhead(load);
    this.out = out;
  }

  /**
   * Hands {@code out} the changes from tree {@code from} to tree {@code to} of source {@code source}
   * ({@code null} for a source missing on that side).
   */
  public static void diff(String source, ObjectId from, ObjectId to, TreeWalker.BulkLoad load, Consumer<Change> out) {
    if (!Objects.equals(from, to)) {
      new TreeDiff(source, load, out).run(from, to);
    }
  }

  /** One directory on both sides: its entries by name, and the next name to compare. */
  private static final class Frame {
    final String prefix;
    final Map<String, Node> from;
    final Map<String, Node> to;
    final List<String> names;
    int next;

    Frame(String prefix, Map<String, Node> from, Map<String, Node> to) {
      this.prefix = prefix;
      this.from = from;
      this.to = to;
      TreeSet<String> all = new TreeSet<>(from.keySet());
      all.addAll(to.keySet());
      this.names = new ArrayList<>(all);
    }
  }

  private void run(ObjectId rootFrom, ObjectId rootTo) {
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(frame("", rootFrom, rootTo));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next == f.names.size()) {
        stack.pop();
        continue;
      }
      String name = f.names.get(f.next++);
      String path = f.prefix.isEmpty() ? name : f.prefix + "/" + name;
      Node x = f.from.get(name);
      Node y = f.to.get(name);
      if (x == null || y == null || x.type() != y.type()) {
        Node shown = y != null ? y : x;
        out.accept(change(path, x == null ? Kind.ADDED : y == null ? Kind.REMOVED : Kind.TYPE, shown.type(), x, y));
      } else if (x.type() == EntryType.DIRECTORY) {
        // a directory's time changes with its content, so only its mode counts as its own metadata
        if (x.mode() != y.mode()) {
          out.accept(change(path, Kind.METADATA, EntryType.DIRECTORY, x, y));
        }
      } else if (x.type() == EntryType.SYMLINK) {
        if (!Objects.equals(x.linkTarget(), y.linkTarget())) {
          out.accept(change(path, Kind.MODIFIED, EntryType.SYMLINK, x, y));
        }
      } else if (!x.content().equals(y.content())) {
        out.accept(change(path, Kind.MODIFIED, EntryType.FILE, x, y));
      } else if (x.mode() != y.mode() || !Objects.equals(x.modifiedTime(), y.modifiedTime())) {
        out.accept(change(path, Kind.METADATA, EntryType.FILE, x, y));
      }
      // what is under a directory that was added, removed, replaced or changed: one frame for both sides
      ObjectId xs = x == null ? null : x.subtree();
      ObjectId ys = y == null ? null : y.subtree();
      if (!Objects.equals(xs, ys)) {
        if (stack.size() > TreeWalker.MAX_DEPTH) {
          throw new IntegrityException("tree at '" + path + "' of source '" + source + "' is more than "
              + TreeWalker.MAX_DEPTH + " directories deep: it is damaged");
        }
        stack.push(frame(path, xs, ys));
      }
    }
  }

  private Frame frame(String prefix, ObjectId from, ObjectId to) {
    Frame f = new Frame(prefix, nodes(from, prefix), nodes(to, prefix));
    // read the differing subdirectories' trees in one go, before the walk descends into them one by one
    List<ObjectId> wanted = new ArrayList<>();
    for (String name : f.names) {
      Node x = f.from.get(name);
      Node y = f.to.get(name);
      ObjectId xs = x == null ? null : x.subtree();
      ObjectId ys = y == null ? null : y.subtree();
      if (!Objects.equals(xs, ys)) {
        if (xs != null) {
          wanted.add(xs);
        }
        if (ys != null) {
          wanted.add(ys);
        }
      }
    }
    trees.readAhead(wanted);
    return f;
  }

  private Map<String, Node> nodes(ObjectId tree, String prefix) {
    Map<String, Node> m = new TreeMap<>();
    if (tree != null) {
      for (Node n : trees.nodes(tree, "tree " + tree.shortHex() + (prefix.isEmpty() ? "" : " at '" + prefix + "'")
          + " of source '" + source + "'")) {
        m.put(n.name(), n);
      }
    }
    return m;
  }

  private Change change(String path, Kind kind, EntryType type, Node x, Node y) {
    return new Change(source, path, kind, type, size(x), size(y));
  }

  private static long size(Node n) {
    return n != null && n.type() == EntryType.FILE ? n.size() : 0;
  }
}
