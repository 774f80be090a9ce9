package dev.cairn.backup.influx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes line protocol entries in batches of whole points, several batches at once, retrying
 * transient failures (connection errors, timeouts, HTTP 408/429/5xx) with exponential backoff.
 * Memory is bounded by {@code 2 × parallelism} batches in flight.
 */
final class BatchWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  /** Where a batch goes: one database and retention policy, or one bucket. */
  interface Sink {
    void write(byte[] lines, int length) throws IOException;
  }

  private final int batchSize;
  private final int maxRetries;
  private final Duration backoff;
  private final ExecutorService pool;
  private final Semaphore inFlight;
  private final int permits;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  BatchWriter(int batchSize, int parallelism, int maxRetries, Duration backoff) {
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
    this.backoff = backoff;
    this.permits = parallelism * 2;
    this.inFlight = new Semaphore(permits);
    this.pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "cairn-influx-write");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads the points of one entry and queues them in batches for {@code sink}; returns the points read. */
  long entry(InputStream in, Sink sink) throws IOException {
    LineProtocol.PointReader reader = new LineProtocol.PointReader(in);
    ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 20);
    int n = 0;
    long total = 0;
    while (reader.next(batch)) {
      batch.write('\n');
      n++;
      total++;
      if (n == batchSize) {
        submit(batch, sink);
        batch = new ByteArrayOutputStream(1 << 20);
        n = 0;
      }
    }
    if (n > 0) {
      submit(batch, sink);
    }
    return total;
  }

  private void submit(ByteArrayOutputStream batch, Sink sink) throws IOException {
    rethrow();
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while restoring");
    }
    byte[] bytes = batch.toByteArray();
    pool.execute(() -> {
      try {
        if (failure.get() == null) {
          writeWithRetries(sink, bytes);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      } finally {
        inFlight.release();
      }
    });
  }

  private void writeWithRetries(Sink sink, byte[] bytes) throws IOException, InterruptedException {
    long delay = backoff.toMillis();
    for (int attempt = 0; ; attempt++) {
      try {
        sink.write(bytes, bytes.length);
        return;
      } catch (IOException e) {
        boolean retry = !(e instanceof InfluxHttpException h) || h.isTransient();
        if (!retry || attempt >= maxRetries) {
          throw e;
        }
        LOG.warn("write failed ({}), retry {} of {} in {} ms", e.getMessage(), attempt + 1, maxRetries, delay);
        Thread.sleep(delay);
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  /** Waits for every queued batch; throws the first failure. */
  void finish() throws IOException {
    try {
      inFlight.acquire(permits);
      inFlight.release(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while restoring");
    }
    rethrow();
  }

  private void rethrow() throws IOException {
    Throwable t = failure.get();
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t != null) {
      throw new IOException(t);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
