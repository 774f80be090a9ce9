package dev.cairn.backup.internal.prune;

import dev.cairn.backup.ObjectId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What prune knows about one pack file: from the index (its blobs) or from listing the storage (a pack
 * no index names, left by an interrupted backup).
 *
 * @param name the pack's storage name
 * @param size its size in bytes as stored
 * @param written when it was written, or null when unknown
 * @param indexed whether an index names it (an unindexed pack is reachable by no snapshot yet)
 * @param blobs the blobs it holds (empty for an unindexed pack whose header was not read)
 */
public record PackInfo(String name, long size, Instant written, boolean indexed, List<Blob> blobs) {
  public PackInfo {
    Objects.requireNonNull(name, "name");
    blobs = List.copyOf(blobs);
  }

  /**
   * One blob in a pack.
   *
   * @param id the blob's id
   * @param tree whether it is a tree (metadata) blob rather than a data chunk
   * @param offset its offset in the pack
   * @param length its stored (compressed, encrypted) length
   */
  public record Blob(ObjectId id, boolean tree, long offset, long length) {
    public Blob {
      Objects.requireNonNull(id, "id");
    }
  }
}
