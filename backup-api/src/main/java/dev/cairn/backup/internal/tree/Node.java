package dev.cairn.backup.internal.tree;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a tree: a file (with its chunk ids), a directory (with its subtree's id) or a symlink
 * (with its target).
 *
 * @param name the entry's name within its directory
 * @param type file, directory or symlink
 * @param size content bytes of a file, 0 otherwise
 * @param modifiedTime modification time, or {@code null}
 * @param mode POSIX permission bits, or {@code -1}
 * @param inode file key at backup time, or {@code 0}
 * @param attributes source-specific facts
 * @param linkTarget a symlink's target, else {@code null}
 * @param content a file's chunk ids in order, else empty
 * @param subtree a directory's tree id, else {@code null}
 */
public record Node(
    String name,
    EntryType type,
    long size,
    Instant modifiedTime,
    int mode,
    long inode,
    Map<String, String> attributes,
    String linkTarget,
    List<ObjectId> content,
    ObjectId subtree) {
  public Node {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    attributes = Map.copyOf(attributes);
    content = List.copyOf(content);
  }

  /** The node's metadata as an entry at {@code path}. */
  public EntryMetadata toEntry(String path) {
    return new EntryMetadata(path, type, size, modifiedTime, mode, inode, attributes);
  }

  /** A node for entry {@code meta} named {@code name}. */
  public static Node of(String name, EntryMetadata meta, long size, String linkTarget, List<ObjectId> content,
      ObjectId subtree) {
    return new Node(name, meta.type(), size, meta.modifiedTime(), meta.mode(), meta.inode(), meta.attributes(),
        linkTarget, content, subtree);
  }
}
