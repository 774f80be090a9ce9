package dev.cairn.backup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one backup did.
 *
 * @param target the target's name ({@code ""} for a backup through {@link Repository} directly)
 * @param snapshot the snapshot written (the commit point)
 * @param files file entries in the snapshot
 * @param bytesRead content bytes read from the sources (files unchanged since the parent snapshot
 *     are not read, so this can be much less than {@link #bytesTotal()})
 * @param bytesTotal content bytes of all file entries in the snapshot
 * @param bytesNew content bytes of chunks the repository did not have yet (before compression)
 * @param bytesStored bytes of pack files written to storage (chunks and trees after compression
 *     and encryption, with pack headers); index files and the snapshot object add a little more
 * @param duration wall time of the backup, checks included
 * @param warnings inputs that could not be read, as {@code path: reason}; a snapshot with warnings
 *     is marked incomplete
 * @param checks outcomes of the usability checks, also stored in the snapshot
 * @param copies the copies {@link BackupPlan#backup()} made to further targets after the backup
 *     (only targets a copy was due for; a failed copy is listed with its failure), else empty
 * @param retention the retention {@link BackupPlan#backup()} applied afterwards, one per target that
 *     has a policy and received the snapshot (the primary, then each copy destination), else empty
 */
public record BackupReport(
    String target,
    Snapshot snapshot,
    long files,
    long bytesRead,
    long bytesTotal,
    long bytesNew,
    long bytesStored,
    Duration duration,
    List<String> warnings,
    List<CheckOutcome> checks,
    List<CopyReport> copies,
    List<RetentionReport> retention) {
  /** A report without copies or retention. */
  public BackupReport(String target, Snapshot snapshot, long files, long bytesRead, long bytesTotal, long bytesNew,
      long bytesStored, Duration duration, List<String> warnings, List<CheckOutcome> checks) {
    this(target, snapshot, files, bytesRead, bytesTotal, bytesNew, bytesStored, duration, warnings, checks, List.of(), List.of());
  }

  /** A report without retention. */
  public BackupReport(String target, Snapshot snapshot, long files, long bytesRead, long bytesTotal, long bytesNew,
      long bytesStored, Duration duration, List<String> warnings, List<CheckOutcome> checks, List<CopyReport> copies) {
    this(target, snapshot, files, bytesRead, bytesTotal, bytesNew, bytesStored, duration, warnings, checks, copies,
        List.of());
  }

  /** Checks the values and copies the lists. */
  public BackupReport {
    copies = List.copyOf(copies);
    retention = List.copyOf(retention);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(duration, "duration");
    warnings = List.copyOf(warnings);
    checks = List.copyOf(checks);
  }

  /** This report with {@code copies} as its copies. */
  public BackupReport withCopies(List<CopyReport> copies) {
    return new BackupReport(target, snapshot, files, bytesRead, bytesTotal, bytesNew, bytesStored, duration, warnings,
        checks, copies, retention);
  }

  /** This report with {@code retention} as its retention reports. */
  public BackupReport withRetention(List<RetentionReport> retention) {
    return new BackupReport(target, snapshot, files, bytesRead, bytesTotal, bytesNew, bytesStored, duration, warnings,
        checks, copies, retention);
  }

  /** The id of the snapshot written. */
  public ObjectId snapshotId() {
    return snapshot.id();
  }

  /** True when every input was read and every check passed. */
  public boolean clean() {
    return warnings.isEmpty() && snapshot.checksPassed();
  }
}
