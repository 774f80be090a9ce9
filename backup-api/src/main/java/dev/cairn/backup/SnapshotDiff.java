package dev.cairn.backup;

import dev.cairn.backup.spi.EntryType;
import java.util.List;
import java.util.Objects;

/**
 * What changed between two snapshots, entry by entry, as restic's {@code diff} shows it: entries added,
 * removed, with changed content, with only changed metadata (mode, modification time), or replaced by
 * another type. Sources are matched by name; a source in one snapshot only is all added or all
 * removed. Directories unchanged in both snapshots (the same tree id) are not read. Immutable.
 *
 * @param from the older snapshot (the left side)
 * @param to the newer snapshot (the right side)
 * @param changes every change: source by source, each depth first in name order (as {@code ls} lists)
 */
public record SnapshotDiff(Snapshot from, Snapshot to, List<Change> changes) {
  /** Checks the values and copies the list. */
  public SnapshotDiff {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    changes = List.copyOf(changes);
  }

  /** How an entry changed. */
  public enum Kind {
    /** Only in {@link #to()}. */
    ADDED('+'),
    /** Only in {@link #from()}. */
    REMOVED('-'),
    /** A file's content or a symlink's target differs. */
    MODIFIED('M'),
    /**
     * Same content; a file's mode or modification time differs, or a directory's mode (its time
     * changes with what is in it, so it is not compared; nor is a symlink's).
     */
    METADATA('U'),
    /** A file became a directory, a directory a symlink, … */
    TYPE('T');

    private final char symbol;

    Kind(char symbol) {
      this.symbol = symbol;
    }

    /** restic's one-letter mark: {@code + - M U T}. */
    public char symbol() {
      return symbol;
    }
  }

  /**
   * One changed entry.
   *
   * @param source the source's name
   * @param path the entry's path inside the source
   * @param kind how it changed
   * @param type the entry's type in {@link #to()} (in {@link #from()} if it was removed)
   * @param sizeBefore a file's size in {@link #from()}, else 0
   * @param sizeAfter a file's size in {@link #to()}, else 0
   */
  public record Change(String source, String path, Kind kind, EntryType type, long sizeBefore, long sizeAfter) {
    public Change {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(type, "type");
    }
  }

  /** The number of changes of {@code kind}. */
  public long count(Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }

  /** Whether nothing changed (metadata included). */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** Bytes of files added, plus growth of modified files. */
  public long bytesAdded() {
    return changes.stream().mapToLong(c -> Math.max(0, c.sizeAfter() - c.sizeBefore())).sum();
  }

  /** Bytes of files removed, plus shrinkage of modified files. */
  public long bytesRemoved() {
    return changes.stream().mapToLong(c -> Math.max(0, c.sizeBefore() - c.sizeAfter())).sum();
  }
}
