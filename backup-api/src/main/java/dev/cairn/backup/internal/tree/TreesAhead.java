package dev.cairn.backup.internal.tree;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads trees for a depth-first walk (diff, find) through a bulk load: the walk asks for a
 * directory's subdirectories together ({@link #readAhead}) and then takes them one by one
 * ({@link #nodes}), so remote storage pays a round trip per directory, not per subdirectory. A tree
 * read ahead is held until it is taken; not thread-safe.
 */
final class TreesAhead {
  private final TreeWalker.BulkLoad load;
  private final Map<ObjectId, byte[]> ahead = new HashMap<>();

  TreesAhead(TreeWalker.BulkLoad load) {
    this.load = load;
  }

  /** Reads {@code trees} (those not read ahead already) in batches of {@link TreeWalker#BATCH}. */
  void readAhead(Collection<ObjectId> trees) {
    List<ObjectId> wanted = new ArrayList<>(new LinkedHashSet<>(trees));
    wanted.removeIf(ahead::containsKey);
    for (int i = 0; i < wanted.size(); i += TreeWalker.BATCH) {
      ahead.putAll(load.load(wanted.subList(i, Math.min(wanted.size(), i + TreeWalker.BATCH))));
    }
  }

  /**
   * The nodes of {@code tree}, taken from what was read ahead or read now; {@code what} names it in
   * errors (e.g. {@code tree 1a2b3c4d at 'etc'}).
   *
   * @throws IntegrityException if it cannot be read or decoded
   */
  List<Node> nodes(ObjectId tree, String what) {
    byte[] bytes = ahead.remove(tree);
    if (bytes == null) {
      bytes = load.load(List.of(tree)).get(tree);
      if (bytes == null) {
        throw new IntegrityException(what + " could not be read");
      }
    }
    return TreeCodec.decode(bytes, what);
  }
}
