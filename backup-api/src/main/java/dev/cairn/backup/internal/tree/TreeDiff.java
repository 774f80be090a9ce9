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
import java.util.function.Function;

/**
 * Compares two trees of one source, reading only the directories whose tree ids differ: an unchanged
 * subtree has the same id in both snapshots, since a tree's id is the hash of its encoding.
 */
public final class TreeDiff {
  private final String source;
  private final Function<ObjectId, byte[]> load;
  private final List<Change> out = new ArrayList<>();

  private TreeDiff(String source, Function<ObjectId, byte[]> load) {
    this.source = source;
    this.load = load;
  }

  /**
   * The changes from tree {@code from} to tree {@code to} of source {@code source} ({@code null} for a
   * source missing on that side), in path order.
   */
  public static List<Change> diff(String source, ObjectId from, ObjectId to, Function<ObjectId, byte[]> load) {
    TreeDiff d = new TreeDiff(source, load);
    d.run(from, to);
    return d.out;
  }

  private record Pair(String prefix, ObjectId from, ObjectId to, int depth) {}

  private void run(ObjectId rootFrom, ObjectId rootTo) {
    Deque<Pair> stack = new ArrayDeque<>();
    stack.push(new Pair("", rootFrom, rootTo, 0));
    while (!stack.isEmpty()) {
      Pair p = stack.pop();
      if (Objects.equals(p.from(), p.to())) {
        continue;
      }
      if (p.depth() > TreeWalker.MAX_DEPTH) {
        throw new IntegrityException("tree at '" + p.prefix() + "' of source '" + source + "' is more than "
            + TreeWalker.MAX_DEPTH + " directories deep: it is damaged");
      }
      Map<String, Node> a = nodes(p.from(), p.prefix());
      Map<String, Node> b = nodes(p.to(), p.prefix());
      TreeMap<String, Boolean> names = new TreeMap<>();
      a.keySet().forEach(n -> names.put(n, true));
      b.keySet().forEach(n -> names.put(n, true));
      // subdirectories are compared after this directory's entries, in reverse so the stack pops them in order
      List<Pair> below = new ArrayList<>();
      for (String name : names.keySet()) {
        String path = p.prefix().isEmpty() ? name : p.prefix() + "/" + name;
        Node x = a.get(name);
        Node y = b.get(name);
        if (x == null || y == null || x.type() != y.type()) {
          Node shown = y != null ? y : x;
          Kind kind = x == null ? Kind.ADDED : y == null ? Kind.REMOVED : Kind.TYPE;
          out.add(change(path, kind, shown.type(), x, y));
          // what is under an added or removed directory comes and goes with it
          if (x != null && x.subtree() != null) {
            below.add(new Pair(path, x.subtree(), null, p.depth() + 1));
          }
          if (y != null && y.subtree() != null) {
            below.add(new Pair(path, null, y.subtree(), p.depth() + 1));
          }
          continue;
        }
        switch (x.type()) {
          case DIRECTORY -> {
            if (x.mode() != y.mode()) {
              out.add(change(path, Kind.METADATA, EntryType.DIRECTORY, x, y));
            }
            below.add(new Pair(path, x.subtree(), y.subtree(), p.depth() + 1));
          }
          case SYMLINK -> {
            if (!Objects.equals(x.linkTarget(), y.linkTarget())) {
              out.add(change(path, Kind.MODIFIED, EntryType.SYMLINK, x, y));
            }
          }
          default -> {
            if (!x.content().equals(y.content())) {
              out.add(change(path, Kind.MODIFIED, EntryType.FILE, x, y));
            } else if (x.mode() != y.mode() || !Objects.equals(x.modifiedTime(), y.modifiedTime())) {
              out.add(change(path, Kind.METADATA, EntryType.FILE, x, y));
            }
          }
        }
      }
      for (int i = below.size() - 1; i >= 0; i--) {
        stack.push(below.get(i));
      }
    }
    out.sort((c1, c2) -> c1.path().compareTo(c2.path()));
  }

  private Map<String, Node> nodes(ObjectId tree, String prefix) {
    Map<String, Node> m = new TreeMap<>();
    if (tree != null) {
      for (Node n : TreeCodec.decode(load.apply(tree), "tree " + tree.shortHex()
          + (prefix.isEmpty() ? "" : " at '" + prefix + "'") + " of source '" + source + "'")) {
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
