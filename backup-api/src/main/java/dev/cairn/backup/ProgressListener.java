package dev.cairn.backup;

/**
 * Receives progress samples, for a command line to show files, bytes, rate and ETA. Called from the
 * engine's threads about every {@value #INTERVAL_MILLIS} ms and once at the end; implementations must
 * be thread-safe and fast (no I/O that may block for long). An exception the listener throws is logged
 * and ignored: it never fails the operation.
 */
@FunctionalInterface
public interface ProgressListener {
  /** How often samples are delivered, in milliseconds. */
  long INTERVAL_MILLIS = 250;

  /** A listener that ignores everything. */
  ProgressListener NONE = p -> {};

  /** Receives one sample. */
  void progress(Progress progress);
}
