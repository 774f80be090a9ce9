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

  /** Verification data recorded at backup time. */
  List<Verification> verifications();
}
