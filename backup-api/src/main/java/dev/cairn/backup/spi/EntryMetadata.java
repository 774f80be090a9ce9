package dev.cairn.backup.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a source says about one entry of its tree.
 *
 * @param path relative, {@code /}-separated path inside the source, e.g. {@code app/users/00000.tsv};
 *     no leading slash, no {@code .} or {@code ..} segments
 * @param type file, directory or symlink
 * @param size size in bytes if known before reading, else {@code -1}; the snapshot records the bytes
 *     actually read
 * @param modifiedTime last modification time, or {@code null} if the source has none
 * @param mode POSIX permission bits (e.g. {@code 0644}), or {@code -1} if unknown
 * @param inode file key for the incremental fast path, or {@code 0} if unknown
 * @param attributes further source-specific facts (owner, table name, …); never secrets
 */
public record EntryMetadata(
    String path,
    EntryType type,
    long size,
    Instant modifiedTime,
    int mode,
    long inode,
    Map<String, String> attributes) {

  public EntryMetadata {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    checkPath(path);
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
  }

  /** A file-like entry of unknown size and no file-system metadata, as database sources emit. */
  public static EntryMetadata stream(String path) {
    return new EntryMetadata(path, EntryType.FILE, -1, null, -1, 0, Map.of());
  }

  /** A directory entry with no file-system metadata. */
  public static EntryMetadata directory(String path) {
    return new EntryMetadata(path, EntryType.DIRECTORY, 0, null, -1, 0, Map.of());
  }

  /** Returns a copy with {@code attributes} replaced. */
  public EntryMetadata withAttributes(Map<String, String> newAttributes) {
    return new EntryMetadata(path, type, size, modifiedTime, mode, inode, newAttributes);
  }

  private static void checkPath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
      throw new IllegalArgumentException("entry path must be relative and not end in '/': '" + path + "'");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid segment in entry path '" + path + "'");
      }
    }
  }
}
