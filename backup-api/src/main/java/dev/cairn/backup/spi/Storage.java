package dev.cairn.backup.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A dumb blob store: the only thing a backend implements. Nothing above it knows which store it is.
 *
 * <p>Names are relative, {@code /}-separated paths made of {@code [A-Za-z0-9._-]} segments (see
 * {@link StorageNames#check(String)}), such as {@code config}, {@code keys/ab12…},
 * {@code data/ab/ab12…}. The repository never writes different content under the same name, except
 * that it may replace an object with identical content after a retry.
 *
 * <p>Implementations must be thread-safe: the engine calls them from several threads at once.
 * Methods throw {@link IOException} for failures; the engine wraps them in
 * {@link dev.cairn.backup.StorageException}, keeping the cause. {@link #close()} is idempotent.
 */
public interface Storage extends AutoCloseable {

  /**
   * Describes where this storage is, for messages and reports, e.g. {@code local:/srv/backup} or
   * {@code s3://bucket/prefix}. Never contains a secret.
   */
  String location();

  /**
   * Stores {@code content} (from its position to its limit) under {@code name}, atomically: a reader
   * sees either no object or the whole object, never a part, even after a crash. The buffer is not
   * modified (implementations read from a {@link ByteBuffer#duplicate() duplicate}) and may be read
   * again after a failure, so callers can retry.
   */
  void put(String name, ByteBuffer content) throws IOException;

  /**
   * Opens {@code length} bytes of object {@code name} starting at {@code offset}; a negative
   * {@code length} reads to the end. The caller closes the stream.
   *
   * @throws NoSuchFileException if there is no such object
   */
  InputStream get(String name, long offset, long length) throws IOException;

  /**
   * Opens the whole object {@code name}.
   *
   * @throws NoSuchFileException if there is no such object
   */
  default InputStream get(String name) throws IOException {
    return get(name, 0, -1);
  }

  /** Lists every object whose name starts with {@code prefix} (any order; may be empty). */
  List<StorageObject> list(String prefix) throws IOException;

  /** Deletes object {@code name}; deleting an object that does not exist is not an error. */
  void delete(String name) throws IOException;

  /** Returns the object's name and size, or empty if it does not exist. */
  Optional<StorageObject> stat(String name) throws IOException;

  /**
   * When object {@code name} was last written, if the storage knows; empty if it does not (the
   * default) or there is no such object. Prune uses it to leave packs younger than its safety window
   * alone, since a backup still running may refer to them; without it, prune treats unindexed packs
   * as possibly in use and keeps them.
   */
  default Optional<Instant> modified(String name) throws IOException {
    return Optional.empty();
  }

  /**
   * How many small reads (index files, snapshots, trees) the engine may have in flight at once when it
   * needs many: more than one where every read waits for a network round trip (the default, 8), one
   * where reads are answered from a local disk or memory, as parallel reads there only add threads
   * that each run the decoding code cold.
   */
  default int parallelReads() {
    return 8;
  }

  /**
   * Removes what writes that were interrupted (a crash, a kill, a lost connection) left behind and
   * started before {@code before}: temporary files that never got their final name, incomplete multipart
   * uploads. Nothing a reader sees changes. Prune calls it under the exclusive lock, with its safety window.
   *
   * @return how many leftovers were removed; the default, for storages whose writes leave none, 0
   */
  default int removeLeftovers(Instant before) throws IOException {
    return 0;
  }

  /** Releases connections and other resources; idempotent. */
  @Override
  void close() throws IOException;
}
