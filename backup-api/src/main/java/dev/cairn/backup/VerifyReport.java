package dev.cairn.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a verification found. Empty damage lists mean the repository is sound (at the checked
 * depth).
 *
 * @param readData whether packs were read and their chunks decrypted and re-hashed (all of them, or the
 *     {@code dataSubset}), or only the structure was checked
 * @param dataSubset which packs were read, as {@link DataSubset#toString()} gives it: {@code all},
 *     {@code none}, or a subset such as {@code 2/4} or {@code 10%}
 * @param snapshots snapshots checked
 * @param packs packs in the index (each checked to be present in storage)
 * @param packsRead packs read, decrypted and re-hashed
 * @param blobs chunks and trees checked: with every pack read, those read; else those referenced
 * @param bytesRead bytes read from storage
 * @param damagedPacks names of packs that are missing, unreadable or hold damaged chunks
 * @param damagedSnapshots ids of snapshots that refer to missing or damaged data, or cannot be read
 * @param damagedPaths per damaged snapshot and source, the paths whose content or tree is affected
 * @param problems one human-readable line per problem found, naming the object at fault
 * @param duration wall time
 */
public record VerifyReport(
    boolean readData,
    String dataSubset,
    long snapshots,
    long packs,
    long packsRead,
    long blobs,
    long bytesRead,
    List<String> damagedPacks,
    List<ObjectId> damagedSnapshots,
    List<DamagedPath> damagedPaths,
    List<String> problems,
    Duration duration) {
  /** Checks the values and copies the lists. */
  public VerifyReport {
    damagedPacks = List.copyOf(damagedPacks);
    damagedSnapshots = List.copyOf(damagedSnapshots);
    damagedPaths = List.copyOf(damagedPaths);
    problems = List.copyOf(problems);
    Objects.requireNonNull(dataSubset, "dataSubset");
    Objects.requireNonNull(duration, "duration");
  }

  /** True when no problem was found. */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * One path affected by damage.
   *
   * @param snapshot the snapshot that holds it
   * @param source the source's name in that snapshot
   * @param path the entry's path inside the source ({@code ""} for the source's root tree)
   */
  public record DamagedPath(ObjectId snapshot, String source, String path) {
    public DamagedPath {
      Objects.requireNonNull(snapshot, "snapshot");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(path, "path");
    }
  }
}
