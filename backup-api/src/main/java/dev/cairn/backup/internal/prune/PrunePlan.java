package dev.cairn.backup.internal.prune;

import dev.cairn.backup.ObjectId;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /** Names of every pack that is gone after prune. */
  public Set<String> removedPackNames() {
    return java.util.stream.Stream.concat(repack.stream(), delete.stream()).map(PackInfo::name)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** Ids of the blobs copied by repacking. */
  public Set<ObjectId> copiedBlobIds() {
    return copy.values().stream().flatMap(List::stream).map(PackInfo.Blob::id)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
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

  /** A dry-run report: what would be repacked and deleted, and how many bytes that frees. */
  public String render() {
    Stats s = stats;
    StringBuilder b = new StringBuilder();
    b.append(String.format("packs:            %d (%s)%n", s.packsBefore(), bytes(s.bytesBefore())));
    b.append(String.format("used:             %s%n", bytes(s.usedBytes())));
    b.append(String.format("unused:           %s%n", bytes(s.unusedBytes())));
    b.append(String.format("to repack:        %d packs (%s), copying %s%n", repack.size(), bytes(s.repackBytes()), bytes(s.copyBytes())));
    b.append(String.format("to delete:        %d packs (%s)%n", delete.size(), bytes(s.deleteBytes())));
    b.append(String.format("kept (too new):   %d packs%n", protectedPacks.size()));
    b.append(String.format("frees:            %s%n", bytes(s.freedBytes())));
    b.append(String.format("unused after:     %s%n", bytes(s.unusedAfter())));
    return b.toString();
  }

  /** Formats a byte count for reports ({@code 1.50 MiB}). */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[u]);
  }
}
