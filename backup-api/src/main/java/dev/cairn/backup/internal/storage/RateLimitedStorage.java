package dev.cairn.backup.internal.storage;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A storage whose uploads and downloads are held to a number of bytes per second, for slow off-site
 * links. The limits are shared by all threads using this instance.
 *
 * <p>Downloads are paced as the returned stream is read. An upload hands a whole object to the wrapped
 * storage in one call, so uploads are paced per object: a {@code put} waits until the bytes of earlier
 * puts have had their time at the configured rate, then sends its object at the link's speed. Over
 * several objects the average holds; within one object the link may briefly run at full speed.
 * Thread-safe if the wrapped storage is; closing this storage closes the wrapped one.
 */
public final class RateLimitedStorage implements Storage {
  private final Storage delegate;
  private final ByteRateLimiter upload;
  private final ByteRateLimiter download;

  /**
   * Wraps {@code delegate}; a limit of zero or less means unlimited in that direction.
   */
  public RateLimitedStorage(Storage delegate, long uploadBytesPerSecond, long downloadBytesPerSecond) {
    this(delegate, uploadBytesPerSecond, downloadBytesPerSecond, System::nanoTime,
        Sleeper.SYSTEM);
  }

  /** As {@link #RateLimitedStorage(Storage, long, long)} with the time source and waiting given (tests). */
  public RateLimitedStorage(Storage delegate, long uploadBytesPerSecond, long downloadBytesPerSecond,
      LongSupplier nanoTime, Sleeper sleeper) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.upload = uploadBytesPerSecond > 0 ? new ByteRateLimiter(uploadBytesPerSecond, nanoTime, sleeper) : null;
    this.download = downloadBytesPerSecond > 0 ? new ByteRateLimiter(downloadBytesPerSecond, nanoTime, sleeper) : null;
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    if (upload != null) {
      upload.acquire(content.remaining());
    }
    delegate.put(name, content);
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    InputStream in = delegate.get(name, offset, length);
    return download == null ? in : new PacedInputStream(in, download);
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    return delegate.stat(name);
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    return delegate.modified(name);
  }

  @Override
  public int removeLeftovers(Instant before) throws IOException {
    return delegate.removeLeftovers(before);
  }

  @Override
  public int parallelReads() {
    return delegate.parallelReads();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "rate-limited(" + delegate + ")";
  }

  /** Charges every byte read to the limiter; reads at most 64 KiB at once so pacing stays smooth. */
  private static final class PacedInputStream extends FilterInputStream {
    private static final int SLICE = 64 * 1024;
    private final ByteRateLimiter limiter;

    PacedInputStream(InputStream in, ByteRateLimiter limiter) {
      super(in);
      this.limiter = limiter;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        limiter.acquire(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, Math.min(len, SLICE));
      if (n > 0) {
        limiter.acquire(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      if (skipped > 0) {
        limiter.acquire(skipped); // most remote storages transfer skipped bytes too
      }
      return skipped;
    }
  }
}
