package dev.cairn.backup.internal.tree;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Walks the trees below a root tree, depth first. */
public final class TreeWalker {
  private TreeWalker() {}

  /** Receives every node with its full path inside the source. */
  @FunctionalInterface
  public interface Visitor {
    /** Called for each node. */
    void node(String path, Node node);
  }

  /** Receives a tree that could not be loaded; its nodes are not visited. */
  @FunctionalInterface
  public interface Failure {
    /** Called for a tree at {@code path} ({@code ""} for the root) that failed to load. */
    void failed(String path, ObjectId tree, RuntimeException error);
  }

  /**
   * Visits every node below {@code root}; {@code load} returns a tree's bytes. Trees that fail to
   * load go to {@code failure}, or propagate if it is {@code null}.
   */
  public static void walk(ObjectId root, Function<ObjectId, byte[]> load, Visitor visitor, Failure failure) {
    // depth first with a stack of its own, not the thread's: trees may be deep
    Deque<Frame> stack = new ArrayDeque<>();
    List<Node> top = load("", root, 0, load, failure);
    if (top != null) {
      stack.push(new Frame("", top));
    }
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next == f.nodes.size()) {
        stack.pop();
        continue;
      }
      Node n = f.nodes.get(f.next++);
      String path = f.prefix.isEmpty() ? n.name() : f.prefix + "/" + n.name();
      visitor.node(path, n);
      if (n.subtree() != null) {
        List<Node> children = load(path, n.subtree(), stack.size(), load, failure);
        if (children != null) {
          stack.push(new Frame(path, children));
        }
      }
    }
  }

  /** The nodes of {@code tree} at {@code prefix}, or null after reporting it to {@code failure}. */
  private static List<Node> load(String prefix, ObjectId tree, int depth, Function<ObjectId, byte[]> load,
      Failure failure) {
    try {
      if (depth > MAX_DEPTH) { // as in flatten: a tree that seems to contain itself is damaged
        throw new IntegrityException("tree " + tree.shortHex() + " at '" + prefix + "' is more than " + MAX_DEPTH
            + " directories deep: it is damaged");
      }
      return TreeCodec.decode(load.apply(tree), "tree " + tree.shortHex() + (prefix.isEmpty() ? "" : " at '" + prefix + "'"));
    } catch (RuntimeException e) {
      if (failure == null) {
        throw e;
      }
      failure.failed(prefix, tree, e);
      return null;
    }
  }

  /** A directory being walked: its nodes and the next one to visit. */
  private static final class Frame {
    final String prefix;
    final List<Node> nodes;
    int next;

    Frame(String prefix, List<Node> nodes) {
      this.prefix = prefix;
      this.nodes = nodes;
    }
  }

  /** Loads trees in bulk. */
  @FunctionalInterface
  public interface BulkLoad {
    /** The bytes of every tree in {@code ids} (distinct), by id. */
    Map<ObjectId, byte[]> load(Collection<ObjectId> ids);
  }

  /** Deeper than any file system allows: a tree that seems to contain itself is damaged. */
  public static final int MAX_DEPTH = 4096;
  /** Trees loaded per bulk call, at most. */
  public static final int BATCH = 1024;

  /**
   * Every node below {@code root} by path, in path order (a directory before its contents). Trees are
   * loaded a level at a time, one bulk call per level, so that a remote repository answers a few
   * ranged reads per level of the tree instead of one round trip per directory; a tree shared by
   * several directories (equal content) is loaded and decoded once.
   *
   * @throws dev.cairn.backup.IntegrityException if a tree is damaged or the tree is deeper than
   *     {@value #MAX_DEPTH} levels
   */
  public static Map<String, Node> flatten(ObjectId root, BulkLoad load) {
    Map<String, Node> all = new TreeMap<>();
    Map<ObjectId, List<String>> level = new LinkedHashMap<>();
    level.put(root, List.of(""));
    for (int depth = 0; !level.isEmpty(); depth++) {
      if (depth > MAX_DEPTH) {
        throw new IntegrityException("tree " + root.shortHex() + " is more than " + MAX_DEPTH
            + " directories deep: it is damaged");
      }
      Map<ObjectId, List<String>> next = new LinkedHashMap<>();
      List<ObjectId> ids = new ArrayList<>(level.keySet());
      Map<ObjectId, byte[]> loaded = Map.of();
      for (int i = 0; i < ids.size(); i++) {
        if (i % BATCH == 0) { // a batch's bytes at a time, not a whole level's
          loaded = null;
          loaded = load.load(ids.subList(i, Math.min(ids.size(), i + BATCH)));
        }
        ObjectId tree = ids.get(i);
        List<String> prefixes = level.get(tree);
        String first = prefixes.get(0);
        byte[] bytes = loaded.get(tree);
        if (bytes == null) {
          throw new IntegrityException("tree " + tree.shortHex() + (first.isEmpty() ? "" : " at '" + first + "'")
              + " was not loaded");
        }
        List<Node> nodes = TreeCodec.decode(bytes, "tree " + tree.shortHex()
            + (first.isEmpty() ? "" : " at '" + first + "'"));
        for (String prefix : prefixes) {
          for (Node n : nodes) {
            String path = prefix.isEmpty() ? n.name() : prefix + "/" + n.name();
            all.put(path, n);
            if (n.subtree() != null) {
              next.computeIfAbsent(n.subtree(), id -> new ArrayList<>()).add(path);
            }
          }
        }
      }
      level = next;
    }
    return all;
  }

  /**
   * The nodes at {@code paths} below {@code root}, each with everything below it (as {@link #flatten}
   * gives them) and the directories above it, by path in path order; a path the tree does not hold is
   * left out. Only the trees on the way down to each path and those below it are read, so choosing a
   * directory of a large snapshot costs that directory, not the snapshot.
   *
   * @throws dev.cairn.backup.IntegrityException if a tree on the way or below is damaged
   */
  public static Map<String, Node> flattenPaths(ObjectId root, Collection<String> paths, BulkLoad load) {
    Map<String, Node> out = new TreeMap<>();
    Map<ObjectId, List<Node>> decoded = new java.util.HashMap<>(); // the trees on the way, shared by the paths
    for (String path : paths) {
      ObjectId tree = root;
      String at = "";
      String[] names = path.split("/");
      for (int i = 0; i < names.length && tree != null; i++) {
        ObjectId id = tree;
        String where = at;
        List<Node> nodes = decoded.computeIfAbsent(id, t -> {
          byte[] bytes = load.load(List.of(t)).get(t);
          if (bytes == null) {
            throw new IntegrityException("tree " + t.shortHex() + (where.isEmpty() ? "" : " at '" + where + "'")
                + " was not loaded");
          }
          return TreeCodec.decode(bytes, "tree " + t.shortHex() + (where.isEmpty() ? "" : " at '" + where + "'"));
        });
        Node found = null;
        for (Node n : nodes) {
          if (n.name().equals(names[i])) {
            found = n;
            break;
          }
        }
        if (found == null) {
          break;
        }
        at = at.isEmpty() ? found.name() : at + "/" + found.name();
        if (i < names.length - 1) {
          if (found.subtree() == null) {
            break; // a file where the path goes on: not there
          }
          out.put(at, found); // a directory above the path
          tree = found.subtree();
          continue;
        }
        out.put(at, found);
        if (found.subtree() != null) {
          String prefix = at;
          flatten(found.subtree(), load).forEach((below, n) -> out.put(prefix + "/" + below, n));
        }
      }
    }
    return out;
  }

  /**
   * Adds to {@code trees} every tree reachable from {@code root} and to {@code chunks} every data chunk
   * they list. A tree already in {@code trees} is not read again, nor what is below it: unchanged
   * subtrees shared between snapshots cost one read. The two must be different sets: a file whose bytes
   * are a tree's has that tree's id, and must not make the tree look visited.
   * {@code load} returns a tree's bytes; its exceptions propagate.
   */
  public static void reachable(ObjectId root, Function<ObjectId, byte[]> load, java.util.Set<ObjectId> trees,
      java.util.Set<ObjectId> chunks) {
    if (trees == chunks) {
      throw new IllegalArgumentException("trees and chunks must be different sets");
    }
    Deque<ObjectId> todo = new ArrayDeque<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      ObjectId tree = todo.pop();
      if (!trees.add(tree)) {
        continue;
      }
      for (Node node : TreeCodec.decode(load.apply(tree), "tree " + tree.shortHex())) {
        chunks.addAll(node.content());
        if (node.subtree() != null) {
          todo.push(node.subtree());
        }
      }
    }
  }
}
