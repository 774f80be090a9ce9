package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.compress.Compression;
import java.time.Instant;
import java.util.Objects;

/**
 * The repository config (object {@code config}, encrypted): written once at init, never changed.
 *
 * @param version the format version ({@link #CURRENT_VERSION}); readers refuse versions they do not know
 * @param id the repository id, random
 * @param created when the repository was initialised
 * @param chunker the chunk size limits (the secret gear seed is in the master keys, not here)
 * @param compression the default compression for new blobs (a session may override it)
 */
public record RepositoryConfig(int version, ObjectId id, Instant created, ChunkerParams chunker, Compression compression) {
  /** The format version this code writes and the only one it reads. */
  public static final int CURRENT_VERSION = 1;

  /** Checks for nulls. */
  public RepositoryConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(chunker, "chunker");
    Objects.requireNonNull(compression, "compression");
  }
}
