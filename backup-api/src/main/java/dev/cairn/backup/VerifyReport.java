package dev.cairn.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a verification found. Empty damage lists mean the repository is sound (at the checked
 * depth).
 *
 * @param readData whether every pack was read and every chunk decrypted and re-hashed (the full read
 *     check); false for the structural check and for a {@link #dataSubset() subset}
 * @param snapshots snapshots checked
 * @param packs packs in the index (each checked to be present in storage)
 * @param blobs chunks and trees checked: with every pack read, those read; else those referenced
 * @param bytesRead bytes read from storage
 * @param damagedPacks names of packs that are missing, unreadable or hold damaged chunks
 * @param damagedSnapshots ids of snapshots that refer to missing or damaged data, or cannot be read
 * @param damagedPaths per damaged snapshot and source, the paths whose content or tree is affected
 * @param problems one human-readable line per problem found, naming the object at fault
 * @param duration wall time
 * @param dataSubset which packs were read: {@link DataSubset#all()}, {@link DataSubset#none()} or a subset
 * @param packsRead packs read, decrypted and re-hashed
 */
public record VerifyReport(
    boolean readData,
    long snapshots,
    long packs,
    long blobs,
    long bytesRead,
    List<String> damagedPacks,
    List<ObjectId> damagedSnapshots,
    List<DamagedPath> damagedPaths,
    List<String> problems,
    Duration duration,
    DataSubset dataSubset,
    long packsRead) {
  /** Checks the values and copies the lists. */
  public VerifyReport {
    damagedPacks = List.copyOf(damagedPacks);
    damagedSnapshots = List.copyOf(damagedSnapshots);
    damagedPaths = List.copyOf(damagedPaths);
    problems = List.copyOf(problems);
    Objects.requireNonNull(dataSubset, "dataSubset");
    Objects.requireNonNull(duration, "duration");
  }

  /** A report in the form before subsets: every pack read ({@code readData}) or none. */
  public VerifyReport(boolean readData, long snapshots, long packs, long blobs, long bytesRead,
      List<String> damagedPacks, List<ObjectId> damagedSnapshots, List<DamagedPath> damagedPaths,
      List<String> problems, Duration duration) {
    this(readData, snapshots, packs, blobs, bytesRead, damagedPacks, damagedSnapshots, damagedPaths, problems,
        duration, readData ? DataSubset.all() : DataSubset.none(), readData ? packs : 0);
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
