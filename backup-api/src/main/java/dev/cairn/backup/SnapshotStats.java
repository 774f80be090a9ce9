package dev.cairn.backup;

/**
 * Sizes of some snapshots, from {@link Repository#stats(java.util.List, boolean)}: what restoring them
 * writes, and (when counted) the unique data they need in the repository, shared blobs counted once.
 *
 * @param snapshots how many snapshots were counted
 * @param entries files, directories and symlinks, added up over the snapshots
 * @param restoreBytes content bytes a restore of each writes, added up (restic's {@code restore-size})
 * @param chunks distinct data chunks the snapshots need, or -1 when not counted
 * @param trees distinct trees the snapshots need, or -1 when not counted
 * @param rawBytes those blobs' size before compression (restic's {@code raw-data}), or -1
 * @param storedBytes those blobs' size as stored (compressed and encrypted), or -1
 */
public record SnapshotStats(int snapshots, long entries, long restoreBytes, long chunks, long trees, long rawBytes,
    long storedBytes) {
  /** Whether the unique data was counted. */
  public boolean dataCounted() {
    return chunks >= 0;
  }
}
