package dev.cairn.backup;

import java.time.Duration;

/**
 * A progress sample of a running backup, restore or verify.
 *
 * @param operation what runs: {@code backup}, {@code restore}, {@code verify}
 * @param files files (entries, packs for verify) done so far
 * @param bytes bytes done so far (read for a backup, written for a restore, checked for verify)
 * @param totalFiles estimated total files, or {@code -1} if unknown
 * @param totalBytes estimated total bytes, or {@code -1} if unknown (a backup estimates it from the
 *     parent snapshot, so a first backup has no estimate)
 * @param elapsed time since the operation started
 * @param currentPath the entry being worked on, or {@code ""}
 */
public record Progress(
    String operation, long files, long bytes, long totalFiles, long totalBytes, Duration elapsed, String currentPath) {

  /** Bytes per second so far, or 0 before any time has passed. */
  public double bytesPerSecond() {
    long millis = elapsed.toMillis();
    return millis <= 0 ? 0 : bytes * 1000.0 / millis;
  }

  /** Fraction done in {@code [0, 1]} by bytes, or {@code -1} when the total is unknown. */
  public double fraction() {
    return totalBytes <= 0 ? -1 : Math.min(1.0, (double) bytes / totalBytes);
  }

  /** Estimated time left, or {@code null} when the total or rate is unknown. */
  public Duration eta() {
    double rate = bytesPerSecond();
    if (totalBytes <= 0 || rate <= 0) {
      return null;
    }
    return Duration.ofMillis((long) (Math.max(0, totalBytes - bytes) / rate * 1000));
  }
}
