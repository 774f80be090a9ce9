package dev.cairn.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one copy between repositories did: which snapshots the destination received, which it
 * already had, and how much was transferred.
 *
 * @param target the destination's name in a plan ({@code ""} for {@link Repository#copyTo} directly)
 * @param destination where the destination repository is, e.g. {@code s3://bucket/cairn}
 * @param copied the snapshots written to the destination (as stored there, with their new ids), oldest first
 * @param alreadyPresent the source snapshots the destination already held (skipped)
 * @param sharedChunking true if both repositories compute the same chunk ids (the destination was
 *     created with the source's chunking), so blobs kept their ids; false if blob and tree ids were
 *     recomputed with the destination's key
 * @param blobsCopied data and tree blobs added to the destination
 * @param bytesCopied plaintext bytes of those blobs
 * @param bytesStored bytes of pack files uploaded to the destination (after compression and encryption)
 * @param duration wall time of the copy
 * @param failure why the copy failed ({@code ""} when it succeeded; only plan reports carry failures,
 *     {@link Repository#copyTo} throws instead)
 * @param unreadable ids of source snapshots that were asked for (all of them) but whose files are
 *     damaged, so they were not copied
 */
public record CopyReport(
    String target,
    String destination,
    List<Snapshot> copied,
    List<Snapshot> alreadyPresent,
    boolean sharedChunking,
    long blobsCopied,
    long bytesCopied,
    long bytesStored,
    Duration duration,
    String failure,
    List<ObjectId> unreadable) {
  /** Checks the values and copies the lists. */
  public CopyReport {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(destination, "destination");
    copied = List.copyOf(copied);
    alreadyPresent = List.copyOf(alreadyPresent);
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(failure, "failure");
    unreadable = List.copyOf(unreadable);
  }

  /** A report without unreadable snapshots (the form before they were reported). */
  public CopyReport(String target, String destination, List<Snapshot> copied, List<Snapshot> alreadyPresent,
      boolean sharedChunking, long blobsCopied, long bytesCopied, long bytesStored, Duration duration, String failure) {
    this(target, destination, copied, alreadyPresent, sharedChunking, blobsCopied, bytesCopied, bytesStored, duration,
        failure, List.of());
  }

  /** A report for a copy to {@code target} that failed with {@code failure}. */
  public static CopyReport failed(String target, String destination, String failure, Duration duration) {
    return new CopyReport(target, destination, List.of(), List.of(), false, 0, 0, 0, duration, failure);
  }

  /** True when the copy completed. */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
