package dev.cairn.backup.internal.repository;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of byte arrays in size classes of {@link #STEP} bytes, for the copies of blobs waiting to be
 * packed and for blob reads. Chunks are 0.5–8 MiB, so without a pool every chunk is a fresh (in G1,
 * humongous) allocation, and a backup turns over its whole size in garbage. Fine classes keep the
 * slack per array below {@code SEARCH * STEP} (power-of-two classes doubled the memory of blobs in
 * flight, which made small heaps run out). The pool keeps at most {@code maxPooledBytes}; arrays
 * below {@link #MIN_POOLED} or above {@link #MAX_POOLED} bytes are plain allocations. Thread-safe.
 */
final class BlobBuffers {
  /** Smaller arrays are cheap to allocate (thread-local allocation buffers) and not pooled. */
  static final int MIN_POOLED = 64 * 1024;
  /** Larger arrays (tree blobs, odd chunker settings) are not pooled. */
  static final int MAX_POOLED = 16 * 1024 * 1024;
  private static final int STEP = 256 * 1024;
  /** A request may take an array up to this many classes larger. */
  private static final int SEARCH = 4;
  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedQueue<byte[]>[] free = new ConcurrentLinkedQueue[MAX_POOLED / STEP + 1];
  private final AtomicLong pooled = new AtomicLong();
  private final long maxPooledBytes;

  BlobBuffers(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
    for (int i = 0; i < free.length; i++) {
      free[i] = new ConcurrentLinkedQueue<>();
    }
  }

  /** An array of at least {@code len} bytes (its contents are garbage). */
  byte[] take(int len) {
    if (len < MIN_POOLED || len > MAX_POOLED) {
      return new byte[len];
    }
    int c = (len + STEP - 1) / STEP;
    for (int k = c; k < Math.min(free.length, c + SEARCH); k++) {
      byte[] b = free[k].poll();
      if (b != null) {
        pooled.addAndGet(-b.length);
        return b;
      }
    }
    return new byte[c * STEP];
  }

  /** Drops every pooled array (for the GC); later requests allocate new ones. */
  void clear() {
    for (ConcurrentLinkedQueue<byte[]> q : free) {
      byte[] b;
      while ((b = q.poll()) != null) {
        pooled.addAndGet(-b.length);
      }
    }
  }

    /** Returns an array from {@link #take} for reuse; arrays of other sizes are left to the GC. */
  void give(byte[] b) {
    int len = b.length;
    if (len < STEP || len > MAX_POOLED || len % STEP != 0) {
      return;
    }
    if (pooled.addAndGet(len) > maxPooledBytes) {
      pooled.addAndGet(-len);
      return;
    }
    free[len / STEP].offer(b);
  }
}
