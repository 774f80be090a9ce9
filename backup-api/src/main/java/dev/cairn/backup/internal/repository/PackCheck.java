package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ObjectId;
import java.util.List;

/**
 * The result of reading and checking one pack: its hash, header, and every blob (decrypt,
 * decompress, recompute the id).
 *
 * @param pack the pack id
 * @param blobs the blobs the index (or, if the header is readable, the header) lists for this pack
 * @param damagedBlobs blob ids that could not be read back intact (all of {@code blobs} when the pack
 *     is missing or its header is unreadable)
 * @param problems human-readable descriptions of what is wrong, empty when the pack is intact
 */
public record PackCheck(ObjectId pack, List<BlobLocation> blobs, List<ObjectId> damagedBlobs, List<String> problems) {
  /** Copies the lists. */
  public PackCheck {
    blobs = List.copyOf(blobs);
    damagedBlobs = List.copyOf(damagedBlobs);
    problems = List.copyOf(problems);
  }

  /** True when the pack and all its blobs are intact. */
  public boolean ok() {
    return problems.isEmpty();
  }
}
