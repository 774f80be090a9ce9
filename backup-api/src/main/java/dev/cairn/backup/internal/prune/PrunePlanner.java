package dev.cairn.backup.internal.prune;

import dev.cairn.backup.ObjectId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what prune does, as a pure function of the packs, the blobs the kept snapshots need, and the
 * options; nothing is read or written here, so the decision is testable on its own and is what
 * {@code --dry-run} shows.
 *
 * <p>Rules, in order: a pack written within the safety window (or an unindexed pack of unknown age) is
 * never touched, since a backup still running may refer to it; every needed blob keeps exactly one
 * copy, preferably in a pack that stays; a pack holding nothing needed is deleted; a partly used pack
 * is repacked, most-unused first, until the unused data left is within {@link MaxUnused}.
 */
public final class PrunePlanner {
  private PrunePlanner() {}

  /**
   * Plans a prune.
   *
   * @param packs every pack in the repository (indexed, and unindexed ones found by listing)
   * @param used the ids of every blob reachable from the snapshots that remain
   * @param maxUnused how much unused data may stay in partly used packs
   * @param now the current time
   * @param safetyWindow packs written less than this long before {@code now} are kept as they are
   */
  public static PrunePlan plan(List<PackInfo> packs, Set<ObjectId> used, MaxUnused maxUnused, Instant now, Duration safetyWindow) {
    Objects.requireNonNull(packs, "packs");
    Objects.requireNonNull(used, "used");
    Objects.requireNonNull(maxUnused, "maxUnused");
    Instant cutoff = now.minus(safetyWindow);
    List<PackInfo> protectedPacks = new ArrayList<>();
    List<PackInfo> candidates = new ArrayList<>();
    for (PackInfo p : packs) {
      boolean young = p.written() == null ? !p.indexed() : p.written().isAfter(cutoff);
      (young ? protectedPacks : candidates).add(p);
    }
    // home each needed blob once: in protected packs first, then in the packs that are most used, so
    // duplicates end up in packs that are deleted or repacked anyway
    Map<String, Double> usedShare = new HashMap<>();
    for (PackInfo p : candidates) {
      long total = p.blobs().stream().mapToLong(PackInfo.Blob::length).sum();
      long u = p.blobs().stream().filter(b -> used.contains(b.id())).mapToLong(PackInfo.Blob::length).sum();
      usedShare.put(p.name(), total == 0 ? 0 : (double) u / total);
    }
    candidates.sort(Comparator.comparingDouble((PackInfo p) -> -usedShare.get(p.name())).thenComparing(PackInfo::name));

    Set<ObjectId> homed = new HashSet<>(); // shares the packs' id objects: smaller here than an IdSet
    long usedBytes = 0;
    long unusedBytes = 0;
    long unusedKept = 0;
    for (PackInfo p : protectedPacks) {
      for (PackInfo.Blob b : p.blobs()) {
        if (p.indexed() && used.contains(b.id()) && homed.add(b.id())) {
          usedBytes += b.length();
        } else {
          unusedBytes += b.length();
          unusedKept += b.length();
        }
      }
    }
    List<PackInfo> keep = new ArrayList<>(protectedPacks);
    List<PackInfo> delete = new ArrayList<>();
    List<PackInfo> partly = new ArrayList<>();
    Map<String, List<PackInfo.Blob>> needed = new LinkedHashMap<>();
    Map<String, Long> unusedOf = new HashMap<>();
    for (PackInfo p : candidates) {
      List<PackInfo.Blob> mine = new ArrayList<>();
      long unused = 0;
      for (PackInfo.Blob b : p.blobs()) {
        if (p.indexed() && used.contains(b.id()) && homed.add(b.id())) {
          mine.add(b);
          usedBytes += b.length();
        } else {
          unused += b.length();
        }
      }
      unusedBytes += unused;
      if (mine.isEmpty()) {
        delete.add(p);
      } else if (unused == 0) {
        keep.add(p);
      } else {
        partly.add(p);
        needed.put(p.name(), mine);
        unusedOf.put(p.name(), unused);
        unusedKept += unused;
      }
    }
    int missing = used.size() - homed.size(); // homed holds only used ids

    // repack the packs with the largest share of unused data first, until the rest is within the limit
    partly.sort(Comparator.comparingDouble((PackInfo p) -> -(double) unusedOf.get(p.name()) / Math.max(1, p.size()))
        .thenComparing(PackInfo::name));
    long limit = maxUnused.limit(usedBytes);
    List<PackInfo> repack = new ArrayList<>();
    Map<String, List<PackInfo.Blob>> copy = new LinkedHashMap<>();
    for (PackInfo p : partly) {
      if (unusedKept > limit) {
        repack.add(p);
        copy.put(p.name(), needed.get(p.name()));
        unusedKept -= unusedOf.get(p.name());
      } else {
        keep.add(p);
      }
    }
    long repackBytes = repack.stream().mapToLong(PackInfo::size).sum();
    long copyBytes = copy.values().stream().flatMap(List::stream).mapToLong(PackInfo.Blob::length).sum();
    long deleteBytes = delete.stream().mapToLong(PackInfo::size).sum();
    PrunePlan.Stats stats = new PrunePlan.Stats(
        packs.size(),
        packs.stream().mapToLong(PackInfo::size).sum(),
        usedBytes,
        unusedBytes,
        repackBytes,
        copyBytes,
        deleteBytes,
        deleteBytes + repackBytes - copyBytes,
        unusedKept,
        missing);
    return new PrunePlan(keep, protectedPacks, repack, delete, copy, stats);
  }
}
