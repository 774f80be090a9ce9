package dev.cairn.backup.internal.backup;

import dev.cairn.backup.Progress;
import dev.cairn.backup.ProgressListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts files and bytes of a running operation and samples them to a listener, throttled. Thread-safe. */
public final class ProgressTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);
  private final String operation;
  private final ProgressListener listener;
  private final long start = System.nanoTime();
  private final AtomicLong files = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong nextEmit = new AtomicLong();
  private volatile long totalFiles;
  private volatile long totalBytes;
  private volatile String current = "";
  private final AtomicBoolean listenerFailed = new AtomicBoolean();

  /** Tracks {@code operation} for {@code listener}, totals unknown. */
  public ProgressTracker(String operation, ProgressListener listener, long totalFiles, long totalBytes) {
    this.operation = operation;
    this.listener = listener;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
    nextEmit.set(start);
  }

  /** Sets the estimated totals ({@code -1} for unknown). */
  public void totals(long files, long bytes) {
    this.totalFiles = files;
    this.totalBytes = bytes;
  }

  /** Counts {@code n} bytes done. */
  public void bytes(long n, String path) {
    bytes.addAndGet(n);
    current = path;
    maybeEmit();
  }

  /** Counts one file done. */
  public void file(String path) {
    files.incrementAndGet();
    current = path;
    maybeEmit();
  }

  /** Files counted so far. */
  public long files() {
    return files.get();
  }

  /** Bytes counted so far. */
  public long bytes() {
    return bytes.get();
  }

  private void maybeEmit() {
    long now = System.nanoTime();
    long next = nextEmit.get();
    if (now - next >= 0 && nextEmit.compareAndSet(next, now + ProgressListener.INTERVAL_MILLIS * 1_000_000)) {
      emit();
    }
  }

  /**
   * Delivers a sample now (call once at the end). A listener that throws is logged (once) and
   * ignored: progress is for display, and the last sample comes after the operation committed.
   */
  public void emit() {
    try {
      listener.progress(new Progress(operation, files.get(), bytes.get(), totalFiles, totalBytes,
          Duration.ofNanos(System.nanoTime() - start), current));
    } catch (RuntimeException e) {
      if (listenerFailed.compareAndSet(false, true)) {
        LOG.warn("the progress listener of this {} threw; it goes on, later failures of the listener are not"
            + " logged: {}", operation, e.toString(), e);
      }
    }
  }
}
