package dev.cairn.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Repository#repairPacks} found and did: which packs were damaged or missing and were
 * replaced, and where each of their blobs came from.
 *
 * @param packsChecked packs read and checked
 * @param repairedPacks ids (hex) of the damaged or missing packs replaced (deleted, unless a dry run)
 * @param blobsSalvaged blobs of those packs found intact: in them (moved into new packs) or in another pack
 * @param blobsFromCopy blobs read from the copy given ({@code from}) instead, including those the walk of
 *     every snapshot found missing
 * @param lostBlobs ids (hex) of blobs neither the pack nor the copy had intact; no longer in the index.
 *     {@code cairn verify} names the snapshots and files that need them; the next backup stores them
 *     again if some file still holds that data
 * @param newPacks ids (hex) of the packs written (none in a dry run)
 * @param problems what was wrong with each repaired pack
 * @param dryRun true if nothing was written or deleted
 * @param duration wall time
 */
public record PackRepairReport(int packsChecked, List<String> repairedPacks, long blobsSalvaged, long blobsFromCopy,
    List<String> lostBlobs, List<String> newPacks, List<String> problems, boolean dryRun, Duration duration) {
  /** Checks the values and copies the lists. */
  public PackRepairReport {
    repairedPacks = List.copyOf(repairedPacks);
    lostBlobs = List.copyOf(lostBlobs);
    newPacks = List.copyOf(newPacks);
    problems = List.copyOf(problems);
    Objects.requireNonNull(duration, "duration");
  }

  /** True if nothing is lost: every blob of the repaired packs was salvaged or read from the copy. */
  public boolean complete() {
    return lostBlobs.isEmpty();
  }
}
