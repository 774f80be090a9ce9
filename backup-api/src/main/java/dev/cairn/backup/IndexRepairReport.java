package dev.cairn.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Repository#repairIndex(boolean)} did: one new index file now lists every readable pack
 * in storage, and the old index files are gone.
 *
 * @param indexFilesReplaced old index files deleted
 * @param damagedIndexFiles names of those whose content was damaged (their packs were indexed from
 *     their headers)
 * @param packsIndexed packs the new index lists
 * @param headersRead packs whose headers were read (all of them with {@code readAllPacks}; else those
 *     no sound index file listed)
 * @param unreadablePacks names of packs left out because their header is damaged; their data is lost
 *     to the repository ({@code cairn verify} names the snapshots that needed it)
 * @param packsGone packs the old index files listed that are no longer in storage
 * @param duration wall time
 * @param damagedHeaders names of packs whose header is damaged but which a sound index file described:
 *     kept in the index (their blobs still read and check), worth a {@code verify --read-data}
 */
public record IndexRepairReport(int indexFilesReplaced, List<String> damagedIndexFiles, int packsIndexed,
    int headersRead, List<String> unreadablePacks, int packsGone, Duration duration, List<String> damagedHeaders) {
  /** Checks the values and copies the lists. */
  public IndexRepairReport {
    damagedIndexFiles = List.copyOf(damagedIndexFiles);
    unreadablePacks = List.copyOf(unreadablePacks);
    damagedHeaders = List.copyOf(damagedHeaders);
    Objects.requireNonNull(duration, "duration");
  }
}
