package dev.cairn.backup.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Restorer} did for one source.
 *
 * @param source the source's name
 * @param destination where it went, for the report (never a secret), e.g. {@code mysql://db:3306}
 * @param entries entries restored
 * @param bytes content bytes restored (written; not those of files kept as they were)
 * @param results one verification result per recorded item
 * @param unchangedFiles files already holding their snapshot content, kept (their mode and time set):
 *     what an earlier, interrupted restore into the same place wrote
 * @param unchangedBytes the content bytes of those files
 */
public record RestoreResult(String source, String destination, long entries, long bytes,
    List<VerificationResult> results, long unchangedFiles, long unchangedBytes) {
  public RestoreResult {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    results = List.copyOf(results);
    if (unchangedFiles < 0 || unchangedBytes < 0) {
      throw new IllegalArgumentException("unchanged files and bytes cannot be negative: " + unchangedFiles
          + ", " + unchangedBytes);
    }
  }

  /** A result of a restore that kept no existing file (every entry written). */
  public RestoreResult(String source, String destination, long entries, long bytes, List<VerificationResult> results) {
    this(source, destination, entries, bytes, results, 0, 0);
  }

  /** True when every verification result passed. */
  public boolean verified() {
    return results.stream().allMatch(VerificationResult::ok);
  }
}
