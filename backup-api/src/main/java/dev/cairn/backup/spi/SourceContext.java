package dev.cairn.backup.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where a {@link Source} puts its entries during a backup. Thread-safe: a source may add entries from
 * several threads at once. Paths must be unique within a source.
 */
public interface SourceContext {

  /**
   * Starts a file-like entry; the caller writes its content and closes the stream to commit the
   * entry. Content is chunked as it is written, so it is never held whole in memory.
   */
  OutputStream newFile(EntryMetadata metadata) throws IOException;

  /** Adds a file-like entry whose content is read from {@code content} to its end (not closed). */
  default void addFile(EntryMetadata metadata, InputStream content) throws IOException {
    try (OutputStream out = newFile(metadata)) {
      content.transferTo(out);
    }
  }

  /** Adds a directory entry (parents of added paths are implied even without one). */
  void addDirectory(EntryMetadata metadata);

  /** Adds a symbolic link pointing at {@code target}, kept verbatim. */
  void addSymlink(EntryMetadata metadata, String target);

  /**
   * Says that nothing more will be added below directory {@code path} (every file stream below it is
   * closed): its tree is written and its entries leave memory. Optional, but a source that walks a
   * large tree should call it for each directory, deepest first, so that a backup holds the
   * directories being walked rather than every entry of the source. Adding an entry below a
   * directory reported complete fails with {@link IllegalStateException}.
   */
  default void directoryComplete(String path) {}

  /** The entry at {@code path} in the parent snapshot of this source, if there is one. */
  Optional<EntryMetadata> parentEntry(String path);

  /**
   * Adds an entry whose content is that of the parent snapshot's entry at the same path, without
   * reading it again (the incremental fast path: unchanged files, closed time windows).
   *
   * @throws IllegalStateException if the parent snapshot has no file entry at {@code metadata.path()}
   */
  void reuseParentEntry(EntryMetadata metadata);

  /** Verification data recorded for {@code item} in the parent snapshot, if any. */
  Optional<Verification> parentVerification(String item);

  /** Records source metadata (binlog coordinates, server version, …) in the snapshot. */
  void putMetadata(String key, String value);

  /** Records verification data that a restore will be checked against. */
  void addVerification(Verification verification);

  /**
   * Reports input that could not be read (a file that vanished or is unreadable); the backup goes on
   * and its report and snapshot say it is incomplete.
   */
  void warn(String path, String message);
}
