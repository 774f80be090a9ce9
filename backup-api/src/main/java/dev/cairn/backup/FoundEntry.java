package dev.cairn.backup;

import dev.cairn.backup.spi.EntryMetadata;
import java.util.Objects;

/**
 * An entry {@link Repository#find} found.
 *
 * @param snapshot the snapshot holding it
 * @param source the source's name in that snapshot
 * @param entry the entry: its path inside the source, type, size, time and mode
 */
public record FoundEntry(Snapshot snapshot, String source, EntryMetadata entry) {
  public FoundEntry {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(entry, "entry");
  }
}
