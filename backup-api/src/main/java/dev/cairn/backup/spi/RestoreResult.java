package dev.cairn.backup.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Restorer} did for one source.
 *
 * @param source the source's name
 * @param destination where it went, for the report (never a secret), e.g. {@code mysql://db:3306}
 * @param entries entries restored
 * @param bytes content bytes restored
 * @param results one verification result per recorded item
 */
public record RestoreResult(
    String source, String destination, long entries, long bytes, List<VerificationResult> results) {
  public RestoreResult {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    results = List.copyOf(results);
  }

  /** True when every verification result passed. */
  public boolean verified() {
    return results.stream().allMatch(VerificationResult::ok);
  }
}
