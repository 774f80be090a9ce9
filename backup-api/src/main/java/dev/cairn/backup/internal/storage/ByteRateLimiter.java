package dev.cairn.backup.internal.storage;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Paces a byte stream to a rate, shared by all threads: each {@link #acquire(long)} waits until the
 * bytes acquired before it have had their time on the link, then books its own. Bytes are charged to
 * the next caller (as Guava's {@code RateLimiter} does), so a lone transfer is not delayed, and no credit
 * builds up while idle, so an idle link never allows a burst. Thread-safe.
 */
final class ByteRateLimiter {
  private final double nanosPerByte;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextFree;
  private boolean started;

  ByteRateLimiter(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond + " bytes/s");
    }
    this.nanosPerByte = 1e9 / bytesPerSecond;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Waits until {@code bytes} may go, given the bytes that went before. */
  void acquire(long bytes) throws java.io.InterruptedIOException {
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (!started || nextFree - now < 0) {
        nextFree = now;
        started = true;
      }
      wait = nextFree - now;
      nextFree += (long) (bytes * nanosPerByte);
    }
    if (wait > 0) {
      try {
        sleeper.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for bandwidth");
      }
    }
  }
}
