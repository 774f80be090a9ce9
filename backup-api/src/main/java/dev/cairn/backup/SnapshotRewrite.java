package dev.cairn.backup;

import java.util.Map;
import java.util.Objects;

/**
 * One snapshot written anew without some entries, by {@link Repository#rewrite} or
 * {@link Repository#repairSnapshots}.
 *
 * @param original the snapshot as it was
 * @param rewritten the new snapshot (same time, host, plan and parent, one more tag), or null in a dry run
 * @param removed the paths left out (prefixed with {@code source:} when the snapshot has several
 *     sources), with why, in tree order: the first 1000 of them (memory stays bounded however many go)
 * @param removedPaths how many paths were left out (a removed directory counts once)
 * @param removedEntries entries left out, those below removed directories included where readable
 * @param removedBytes content bytes of the files left out
 * @param existed true if {@code rewritten} was written by an earlier run (without {@code forget}): it is
 *     not written twice, and with {@code forget} the original goes now
 */
public record SnapshotRewrite(Snapshot original, Snapshot rewritten, Map<String, String> removed, long removedPaths,
    long removedEntries, long removedBytes, boolean existed) {
  /** Checks the values and copies the map, keeping its order. */
  public SnapshotRewrite {
    Objects.requireNonNull(original, "original");
    removed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(removed)); // at most 1000 paths
  }
}
