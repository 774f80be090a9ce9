package dev.cairn.backup;

import dev.cairn.backup.spi.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of a restore drill: the newest snapshot of every source restored into scratch
 * destinations, each verified against what was recorded at backup time, timed against the RTO.
 *
 * @param plan the plan's name
 * @param target the target (repository) restored from
 * @param snapshot id (hex) of the snapshot restored; {@code ""} if there was none
 * @param started when the drill started
 * @param duration wall time from start to the end of the last verification
 * @param rto the recovery time objective it is measured against, or {@code null} if the plan has none
 * @param sources one result per source
 */
public record DrillReport(
    String plan, String target, String snapshot, Instant started, Duration duration, Duration rto,
    List<SourceResult> sources) {

  /** Checks the values and copies the lists. */

  public DrillReport {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(duration, "duration");
    sources = List.copyOf(sources);
  }

  /**
   * What the drill did for one source.
   *
   * @param source the source's name
   * @param type the source type
   * @param destination the scratch destination (never a secret)
   * @param entries entries restored
   * @param bytes bytes restored
   * @param duration time spent on this source
   * @param results every verification result
   * @param error why the restore failed; empty when it ran
   */
  public record SourceResult(String source, String type, String destination, long entries, long bytes,
      Duration duration, List<VerificationResult> results, String error) {
    /** Checks the values and copies the lists. */
    public SourceResult {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(duration, "duration");
      results = List.copyOf(results);
      error = error == null ? "" : error;
    }

    /** True when the restore ran and every verification result is OK. */
    public boolean passed() {
      return error.isEmpty() && results.stream().allMatch(VerificationResult::ok);
    }
  }

  /** True when a snapshot was restored and every source passed. */
  public boolean passed() {
    return !snapshot.isEmpty() && !sources.isEmpty() && sources.stream().allMatch(SourceResult::passed);
  }

  /** True when there is an RTO and the drill took no longer. */
  public boolean withinRto() {
    return rto != null && duration.compareTo(rto) <= 0;
  }
}
