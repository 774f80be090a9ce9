package dev.cairn.backup.internal.storage;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage that retries transient failures of another one with exponential backoff and jitter.
 *
 * <p>Transient: plain {@link IOException}s (resets, timeouts, 5xx and throttling answers that a
 * backend reports as such) and {@link StorageException}s that are not {@linkplain
 * StorageException#isPermanent() permanent}. Permanent, never retried: a {@link NoSuchFileException}
 * (passed through unchanged, as the {@link Storage} contract says), other {@link FileSystemException}s
 * such as access denied, a full disk, permanent {@link StorageException}s, and runtime exceptions
 * (bugs, invalid names). A permanent failure is thrown as a {@link StorageException} with
 * {@code isPermanent() == true} naming the operation and the object; running out of attempts throws
 * one with {@code isPermanent() == false}.
 *
 * <p>Streams returned by {@link #get} resume after a transient read failure by reopening the object at
 * the position reached. Thread-safe if the wrapped storage is. Closing this storage closes the wrapped
 * one.
 */
public final class RetryingStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingStorage.class);

  private final Storage delegate;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final boolean retryBeforeFirstSuccess;
  private volatile boolean worked;

  /**
   * Wraps {@code delegate}, trying each operation at most {@code maxAttempts} times; the wait before
   * retry {@code n} is drawn between half and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))}.
   *
   * @throws IllegalArgumentException if {@code maxAttempts < 1} or a backoff is negative
   */
  public RetryingStorage(Storage delegate, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this(delegate, maxAttempts, initialBackoff, maxBackoff,
        Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * As {@link #RetryingStorage(Storage, int, Duration, Duration)} with the waiting and the jitter
   * source given: {@code random} returns values in {@code [0, 1)}.
   */
  public RetryingStorage(Storage delegate, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
      Sleeper sleeper, DoubleSupplier random) {
    this(delegate, maxAttempts, initialBackoff, maxBackoff, sleeper, random, true);
  }

  /**
   * As {@link #RetryingStorage(Storage, int, Duration, Duration)}, retrying only once an operation
   * has succeeded: until then a failure is reported at once. A storage that cannot be reached at all
   * (a wrong host, a closed port, a server that is down) fails as fast as without retries, and one
   * that drops in the middle of a long backup or restore is retried.
   */
  public static RetryingStorage onceWorking(Storage delegate, int maxAttempts, Duration initialBackoff,
      Duration maxBackoff) {
    return new RetryingStorage(delegate, maxAttempts, initialBackoff, maxBackoff, Sleeper.SYSTEM,
        () -> ThreadLocalRandom.current().nextDouble(), false);
  }

  RetryingStorage(Storage delegate, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
      Sleeper sleeper, DoubleSupplier random, boolean retryBeforeFirstSuccess) {
    this.retryBeforeFirstSuccess = retryBeforeFirstSuccess;
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative: " + initialBackoff + ", " + maxBackoff);
    }
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The wrapped storage. */
  public Storage delegate() {
    return delegate;
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    run("put", name, () -> {
      delegate.put(name, content);
      return null;
    });
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    InputStream first = run("get", name, () -> delegate.get(name, offset, length));
    return new ResumingInputStream(name, offset, length, first);
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    return run("list", prefix.isEmpty() ? "(all)" : prefix + "*", () -> delegate.list(prefix));
  }

  @Override
  public void delete(String name) throws IOException {
    run("delete", name, () -> {
      delegate.delete(name);
      return null;
    });
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    return run("stat", name, () -> delegate.stat(name));
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    return run("modified", name, () -> delegate.modified(name));
  }

  @Override
  public int removeLeftovers(Instant before) throws IOException {
    return run("removeLeftovers", "(all)", () -> delegate.removeLeftovers(before));
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
    return "retrying(" + delegate + ")";
  }

  /**
   * Returns true when retrying cannot help: see the class documentation for the rules.
   */
  public static boolean isPermanent(Throwable failure) {
    if (failure instanceof StorageException se) {
      return se.isPermanent();
    }
    if (failure instanceof UncheckedIOException u) {
      return isPermanent(u.getCause());
    }
    if (failure instanceof BackupException || failure instanceof RuntimeException || failure instanceof Error) {
      return true;
    }
    if (failure instanceof FileSystemException) {
      return true;
    }
    if (failure instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
      return true;
    }
    return StorageException.isNoSpace(failure);
  }

  @FunctionalInterface
  private interface Operation<T> {
    T call() throws IOException;
  }

  private <T> T run(String op, String name, Operation<T> operation) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        T result = operation.call();
        worked = true;
        return result;
      } catch (NoSuchFileException e) {
        worked = true; // an answer: the storage works
        throw e;
      } catch (IOException | RuntimeException e) {
        failOrWait(op, name, attempt, e);
      }
    }
  }

  /** Throws if {@code e} is permanent or the attempts are used up, else waits before the next one. */
  private void failOrWait(String op, String name, int attempt, Exception e) throws IOException {
    if (e instanceof NoSuchFileException nsf) {
      throw nsf; // an answer, not a failure
    }
    if (e instanceof IllegalArgumentException iae) {
      throw iae; // misuse: the caller's bug, reported as is
    }
    if (isPermanent(e)) {
      throw new StorageException("cannot " + op + " '" + name + "' in " + delegate.location()
          + ": " + describe(op, name, e) + " (permanent failure, not retried)", true, e);
    }
    if (attempt >= maxAttempts || !(retryBeforeFirstSuccess || worked)) {
      throw new StorageException("cannot " + op + " '" + name + "' in " + delegate.location() + " after "
          + attempt + (attempt == 1 ? " attempt: " : " attempts: ") + describe(op, name, e)
          + "; check the connection to the storage and try again", false, e);
    }
    Duration wait = backoff(attempt);
    LOG.warn("{} '{}' in {} failed (attempt {} of {}): {}; retrying in {} ms",
        op, name, delegate.location(), attempt, maxAttempts, describe(op, name, e), wait.toMillis());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      InterruptedIOException iio = new InterruptedIOException("interrupted while waiting to retry " + op + " '" + name + "'");
      iio.addSuppressed(e);
      throw iio;
    }
  }

  /** The wait before retry number {@code attempt} (1 = first retry). */
  Duration backoff(int attempt) {
    long cap = initialBackoff.toNanos();
    for (int i = 1; i < attempt && cap < maxBackoff.toNanos(); i++) {
      cap = cap > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : cap * 2;
    }
    cap = Math.min(cap, maxBackoff.toNanos());
    long half = cap / 2;
    return Duration.ofNanos(half + (long) (random.getAsDouble() * (cap - half)));
  }

  /** The failure's message, without the "cannot OP 'NAME' in LOCATION: " the storage may have put first. */
  private String describe(String op, String name, Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String said = "cannot " + op + " '" + name + "' in " + delegate.location() + ": ";
    return message.startsWith(said) && message.length() > said.length() ? message.substring(said.length()) : message;
  }

  /** Reopens the object at the position reached when a read fails transiently. */
  private final class ResumingInputStream extends InputStream {
    private final String name;
    private final long start;
    private final long length;
    private final byte[] one = new byte[1];
    private InputStream in;
    private long position;
    private boolean closed;

    ResumingInputStream(String name, long start, long length, InputStream in) {
      this.name = name;
      this.start = start;
      this.length = length;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream of '" + name + "' is closed");
      }
      if (len == 0) {
        return 0;
      }
      for (int attempt = 1; ; attempt++) {
        try {
          if (in == null) {
            in = delegate.get(name, start + position, length < 0 ? -1 : length - position);
          }
          int n = in.read(b, off, len);
          if (n > 0) {
            position += n;
          }
          return n;
        } catch (IOException | RuntimeException e) {
          discard();
          failOrWait("read", name + " at byte " + (start + position), attempt, e);
        }
      }
    }

    private void discard() {
      try {
        if (in != null) {
          in.close();
        }
      } catch (IOException | RuntimeException ignored) {
        // the broken stream's close may fail too; it is discarded either way
      }
      in = null;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        if (in != null) {
          in.close();
        }
      }
    }
  }
}
