package dev.cairn.backup.spi;

import java.util.Objects;

/**
 * The outcome of checking one restored item against its recorded {@link Verification}.
 *
 * @param item the item, as recorded
 * @param status outcome
 * @param expectedCount count recorded at backup time, {@code -1} if none
 * @param actualCount count found in the restored system, {@code -1} if not measured
 * @param expectedChecksum checksum recorded at backup time, or {@code ""}
 * @param actualChecksum checksum of the restored data, or {@code ""}
 * @param message human-readable detail, empty when it passed
 */
public record VerificationResult(
    String item,
    Status status,
    long expectedCount,
    long actualCount,
    String expectedChecksum,
    String actualChecksum,
    String message) {

  /** Outcome of one check. */
  public enum Status {
    /** Count and checksum match. */
    OK,
    /** The restored data differs from what was recorded. */
    MISMATCH,
    /** The item is absent from the restored system. */
    MISSING
  }

  public VerificationResult {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(status, "status");
    expectedChecksum = expectedChecksum == null ? "" : expectedChecksum;
    actualChecksum = actualChecksum == null ? "" : actualChecksum;
    message = message == null ? "" : message;
  }

  /** Compares a recorded verification with what was measured after the restore. */
  public static VerificationResult compare(Verification expected, long actualCount, String actualChecksum) {
    boolean ok = expected.count() == actualCount && expected.checksum().equals(actualChecksum);
    String message = ok ? "" : "expected " + expected.count() + " / " + expected.checksum()
        + ", found " + actualCount + " / " + actualChecksum;
    return new VerificationResult(expected.item(), ok ? Status.OK : Status.MISMATCH,
        expected.count(), actualCount, expected.checksum(), actualChecksum, message);
  }

  /** An item recorded at backup time that the restored system does not have. */
  public static VerificationResult missing(Verification expected) {
    return new VerificationResult(expected.item(), Status.MISSING, expected.count(), -1,
        expected.checksum(), "", "not found in the restored system");
  }

  /** True when the status is {@link Status#OK}. */
  public boolean ok() {
    return status == Status.OK;
  }
}
