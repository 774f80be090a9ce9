package dev.cairn.backup;

import dev.cairn.backup.spi.RestoreResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a restore did: per source, what the restorer wrote and how its verification went.
 *
 * @param snapshot the snapshot restored
 * @param results one result per restored source
 * @param duration wall time, verification included
 */
public record RestoreReport(Snapshot snapshot, List<RestoreResult> results, Duration duration) {
  /** Checks the values and copies the lists. */
  public RestoreReport {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(duration, "duration");
    results = List.copyOf(results);
  }

  /** True when every source's verification passed. */
  public boolean verified() {
    return results.stream().allMatch(RestoreResult::verified);
  }

  /** Entries restored over all sources. */
  public long entries() {
    return results.stream().mapToLong(RestoreResult::entries).sum();
  }

  /** Content bytes restored over all sources. */
  public long bytes() {
    return results.stream().mapToLong(RestoreResult::bytes).sum();
  }
}
