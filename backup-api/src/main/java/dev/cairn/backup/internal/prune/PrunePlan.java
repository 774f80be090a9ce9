package dev.cairn.backup.internal.prune;

import java.util.List;
import java.util.Map;

/**
 * What a prune will do, decided before anything is changed: the dry-run report and the executor's
 * instructions. Packs in {@code repack} have their {@code copy} blobs written into new packs; then new
 * indexes name every surviving blob; only then are old indexes, repacked packs and {@code delete}
 * packs removed.
 *
 * @param keep packs kept as they are (fully used, within the unused limit, or protected)
 * @param protectedPacks the subset of {@code keep} kept only because they are newer than the safety window
 * @param repack packs whose used blobs are copied into new packs before the pack is deleted
 * @param delete packs with no used blob, deleted outright
 * @param copy per repacked pack, the blobs to copy out of it
 * @param stats the numbers of the report
 */
public record PrunePlan(
    List<PackInfo> keep,
    List<PackInfo> protectedPacks,
    List<PackInfo> repack,
    List<PackInfo> delete,
    Map<String, List<PackInfo.Blob>> copy,
    Stats stats) {
  public PrunePlan {
    keep = List.copyOf(keep);
    protectedPacks = List.copyOf(protectedPacks);
    repack = List.copyOf(repack);
    delete = List.copyOf(delete);
    copy = Map.copyOf(copy);
  }

  /** Whether the plan changes nothing. */
  public boolean isEmpty() {
    return repack.isEmpty() && delete.isEmpty();
  }

  /**
   * The numbers a user checks.
   *
   * @param packsBefore packs in the repository
   * @param bytesBefore their total size
   * @param usedBytes stored bytes of blobs some snapshot needs (one copy each)
   * @param unusedBytes stored bytes of blobs no snapshot needs, and duplicate copies
   * @param repackBytes size of the packs to repack
   * @param copyBytes bytes copied out of them into new packs
   * @param deleteBytes size of the packs deleted outright
   * @param freedBytes bytes freed: deleted plus repacked packs, less what is copied
   * @param unusedAfter unused bytes left after prune
   * @param missingBlobs blobs a snapshot needs that no pack holds (prune refuses to run)
   */
  public record Stats(
      int packsBefore,
      long bytesBefore,
      long usedBytes,
      long unusedBytes,
      long repackBytes,
      long copyBytes,
      long deleteBytes,
      long freedBytes,
      long unusedAfter,
      int missingBlobs) {}

  /** The user-facing report of this plan, carried out or (with {@code dryRun}) not. */
  public dev.cairn.backup.PruneReport toReport(boolean dryRun, int snapshots, java.time.Duration duration) {
    Stats s = stats;
    return new dev.cairn.backup.PruneReport(dryRun, snapshots, s.packsBefore(), s.bytesBefore(), s.usedBytes(),
        s.unusedBytes(), repack.size(), s.repackBytes(), s.copyBytes(), delete.size(), s.deleteBytes(),
        protectedPacks.size(), s.freedBytes(), s.unusedAfter(), duration);
  }
}
