package dev.cairn.backup.testing;

import dev.cairn.backup.spi.Storage;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures how fast a storage takes and gives back pack-sized objects, for the throughput probes of the
 * storage modules (run by hand, never part of the test suite: performance is not asserted in tests).
 */
public final class StorageThroughput {
  private StorageThroughput() {}

  /**
   * The outcome of one measurement.
   *
   * @param bytes bytes written and then read back
   * @param putSeconds wall time of all puts
   * @param getSeconds wall time of all gets
   */
  public record Result(long bytes, double putSeconds, double getSeconds) {
    /** Upload rate in MiB/s. */
    public double putMibPerSecond() {
      return bytes / 1048576.0 / putSeconds;
    }

    /** Download rate in MiB/s. */
    public double getMibPerSecond() {
      return bytes / 1048576.0 / getSeconds;
    }

    @Override
    public String toString() {
      return String.format("%d MiB: put %.1f MiB/s (%.2f s), get %.1f MiB/s (%.2f s)",
          bytes >> 20, putMibPerSecond(), putSeconds, getMibPerSecond(), getSeconds);
    }
  }

  /**
   * Puts {@code objects} random objects of {@code objectSize} bytes with {@code threads} threads, then
   * reads them all back (checking their length), and returns the rates.
   */
  public static Result measure(Storage storage, int objects, int objectSize, int threads) throws Exception {
    byte[] data = new byte[objectSize];
    new Random(42).nextBytes(data);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t0 = System.nanoTime();
      run(pool, objects, i -> storage.put(name(i), ByteBuffer.wrap(data)));
      long t1 = System.nanoTime();
      run(pool, objects, i -> {
        try (InputStream in = storage.get(name(i))) {
          byte[] buf = new byte[64 * 1024];
          long total = 0;
          for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
          }
          if (total != objectSize) {
            throw new IllegalStateException(name(i) + " read back " + total + " bytes, wrote " + objectSize);
          }
        }
      });
      long t2 = System.nanoTime();
      return new Result((long) objects * objectSize, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String name(int i) {
    return String.format("data/%02x/pack-%04d", i & 0xff, i);
  }

  @FunctionalInterface
  private interface Task {
    void run(int i) throws Exception;
  }

  private static void run(ExecutorService pool, int count, Task task) throws Exception {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(pool.submit(() -> {
        task.run(n);
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
  }
}
