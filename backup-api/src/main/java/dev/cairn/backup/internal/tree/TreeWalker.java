package dev.cairn.backup.internal.tree;

import dev.cairn.backup.ObjectId;
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
    walk("", root, load, visitor, failure);
  }

  private static void walk(String prefix, ObjectId tree, Function<ObjectId, byte[]> load, Visitor visitor,
      Failure failure) {
    List<Node> nodes;
    try {
      nodes = TreeCodec.decode(load.apply(tree), "tree " + tree.shortHex() + (prefix.isEmpty() ? "" : " at '" + prefix + "'"));
    } catch (RuntimeException e) {
      if (failure == null) {
        throw e;
      }
      failure.failed(prefix, tree, e);
      return;
    }
    for (Node n : nodes) {
      String path = prefix.isEmpty() ? n.name() : prefix + "/" + n.name();
      visitor.node(path, n);
      if (n.subtree() != null) {
        walk(path, n.subtree(), load, visitor, failure);
      }
    }
  }

  /** Every node below {@code root} by path, in path order (a directory before its contents). */
  public static Map<String, Node> flatten(ObjectId root, Function<ObjectId, byte[]> load) {
    Map<String, Node> all = new TreeMap<>();
    walk(root, load, all::put, null);
    return all;
  }
}
