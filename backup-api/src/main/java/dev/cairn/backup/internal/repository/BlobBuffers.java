package dev.cairn.backup.internal.repository;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of byte arrays in power-of-two size classes, for the copies of blobs waiting to be packed
 * and for blob reads. Chunks are 0.5–8 MiB, so without a pool every chunk is a fresh (in G1,
 * humongous) allocation, and a backup turns over its whole size in garbage. The pool keeps at most
 * {@code maxPooledBytes}; arrays below {@link #MIN_POOLED} are plain allocations. Thread-safe.
 */
final class BlobBuffers {
  /** Smaller arrays are cheap to allocate (thread-local allocation buffers) and not pooled. */
  static final int MIN_POOLED = 64 * 1024;
  private static final int CLASSES = 31 - Integer.numberOfTrailingZeros(MIN_POOLED);
  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedQueue<byte[]>[] free = new ConcurrentLinkedQueue[CLASSES];
  private final AtomicLong pooled = new AtomicLong();
  private final long maxPooledBytes;

  BlobBuffers(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
    for (int i = 0; i < CLASSES; i++) {
      free[i] = new ConcurrentLinkedQueue<>();
    }
  }

  private static int sizeClass(int len) {
    int bits = 32 - Integer.numberOfLeadingZeros(Math.max(len, MIN_POOLED) - 1);
    return bits - Integer.numberOfTrailingZeros(MIN_POOLED);
  }

  /** An array of at least {@code len} bytes (its contents are garbage). */
  byte[] take(int len) {
    if (len < MIN_POOLED || len > (1 << 30)) {
      return new byte[len];
    }
    int c = sizeClass(len);
    byte[] b = free[c].poll();
    if (b != null) {
      pooled.addAndGet(-b.length);
      return b;
    }
    return new byte[MIN_POOLED << c];
  }

  /** Returns an array from {@link #take} for reuse; arrays not from the pool are ignored. */
  void give(byte[] b) {
    int len = b.length;
    if (len < MIN_POOLED || Integer.bitCount(len) != 1 || len > (1 << 30)) {
      return;
    }
    if (pooled.addAndGet(len) > maxPooledBytes) {
      pooled.addAndGet(-len);
      return;
    }
    free[sizeClass(len)].offer(b);
  }
}
