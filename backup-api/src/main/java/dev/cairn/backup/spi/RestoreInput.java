package dev.cairn.backup.spi;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One source of one snapshot, as handed to a {@link Restorer}. Thread-safe. */
public interface RestoreInput {

  /** The snapshot's id in hex. */
  String snapshotId();

  /** When the snapshot was taken. */
  Instant snapshotTime();

  /** The source's name in the plan. */
  String sourceName();

  /** The source's type. */
  String sourceType();

  /** Source metadata recorded at backup time (binlog coordinates, server version, …). */
  Map<String, String> metadata();

  /** The entries to restore, sorted by path (already filtered to what the user selected). */
  List<EntryMetadata> entries();

  /** Symlink target of a symlink entry. */
  String symlinkTarget(String path) throws IOException;

  /**
   * Opens the content of file entry {@code path}; every chunk is checked against its id as it is
   * read. May be called from several threads at once; the caller closes the stream.
   *
   * @throws dev.cairn.backup.IntegrityException (unchecked, on read) if stored data is damaged
   */
  InputStream open(String path) throws IOException;

  /**
   * Whether {@code existing} holds exactly the content of file entry {@code path}: it is read to its
   * end, and each piece the length of the entry's next chunk must have that chunk's id (so a match is
   * as certain as the ids themselves). Nothing is read from the repository. A match counts towards the
   * restore's progress, and the entry's content is then no longer read ahead: call it before
   * {@link #open(String) opening} the entry, and open the entry only if this returns {@code false}.
   * Restorers use it to keep files an earlier, interrupted restore already wrote. The caller closes
   * the stream. The default implementation says {@code false} (no such check).
   *
   * @throws IOException if reading {@code existing} fails
   */
  default boolean holdsContent(String path, InputStream existing) throws IOException {
    return false;
  }

  /** Verification data recorded at backup time. */
  List<Verification> verifications();
}
