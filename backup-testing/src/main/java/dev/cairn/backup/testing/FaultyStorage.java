package dev.cairn.backup.testing;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageNames;
import dev.cairn.backup.spi.StorageObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A fault-injecting decorator for tests: makes chosen calls of a storage fail, breaks uploads and
 * download streams part-way, simulates a full disk and the round trips of remote storage, and counts
 * calls, bytes and the most concurrent calls per operation.
 *
 * <p>Faults are armed relative to the calls made so far: {@code failCall(PUT, 1)} fails the next
 * put, {@code failCall(PUT, 3)} the third from now. Injected failures are {@link IOException}s
 * (transient for {@code RetryingStorage}) unless a failure factory says otherwise. Thread-safe; the
 * counters are exact under concurrency, the order in which concurrent calls are numbered is not.
 *
 * <pre>{@code
 * FaultyStorage faulty = new FaultyStorage(new InMemoryStorage());
 * faulty.failCall(FaultyStorage.Operation.PUT, 2);   // the second put from now throws
 * faulty.breakNextGet(1024);                          // the next stream throws after 1 KiB
 * faulty.capacity(10 << 20);                          // puts fail once 10 MiB are stored
 * faulty.latency(FaultyStorage.Operation.GET, Duration.ofMillis(30)); // every get waits 30 ms
 * }</pre>
 */
public final class FaultyStorage implements Storage {
  /** The storage operations faults can be attached to. */
  public enum Operation {
    /** {@link Storage#put}. */
    PUT,
    /** {@link Storage#get(String, long, long)} (opening the stream). */
    GET,
    /** {@link Storage#list}. */
    LIST,
    /** {@link Storage#delete}. */
    DELETE,
    /** {@link Storage#stat}. */
    STAT
  }

  private record Fault(long call, Function<String, ? extends IOException> failure) {}

  private record PartialPut(long afterBytes, boolean leavePartialObject) {}

  private final Storage delegate;
  private final Map<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);
  private final Map<Operation, AtomicLong> bytes = new EnumMap<>(Operation.class);
  private final Map<Operation, List<Fault>> faultsByOp = new EnumMap<>(Operation.class);
  private final List<PartialPut> partialPuts = new ArrayList<>();
  private final List<Long> brokenGets = new ArrayList<>();
  private final Map<String, Long> sizes = new ConcurrentHashMap<>();
  private volatile long capacity = -1;
  private volatile int parallelReads = -1;
  private final Map<Operation, Duration> latencies = new EnumMap<>(Operation.class);
  private final Map<Operation, AtomicInteger> inFlight = new EnumMap<>(Operation.class);
  private final Map<Operation, AtomicInteger> peaks = new EnumMap<>(Operation.class);

  /** Wraps {@code delegate}; no faults are armed until asked. Closing this closes the delegate. */
  public FaultyStorage(Storage delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    for (Operation op : Operation.values()) {
      calls.put(op, new AtomicLong());
      bytes.put(op, new AtomicLong());
      faultsByOp.put(op, new ArrayList<>());
      latencies.put(op, Duration.ZERO);
      inFlight.put(op, new AtomicInteger());
      peaks.put(op, new AtomicInteger());
    }
  }

  /** The wrapped storage. */
  public Storage delegate() {
    return delegate;
  }

  /**
   * Makes the {@code nth} call of {@code op} from now (1 = the next) throw an {@link IOException}
   * before reaching the wrapped storage.
   */
  public FaultyStorage failCall(Operation op, int nth) {
    return failCall(op, nth, name -> new IOException("injected fault: " + op + " '" + name + "'"));
  }

  /** As {@link #failCall(Operation, int)}, throwing what {@code failure} makes from the object name. */
  public synchronized FaultyStorage failCall(Operation op, int nth, Function<String, ? extends IOException> failure) {
    if (nth < 1) {
      throw new IllegalArgumentException("nth must be at least 1: " + nth);
    }
    Fault fault = new Fault(calls.get(op).get() + nth, Objects.requireNonNull(failure, "failure"));
    faultsByOp.get(op).add(fault);
    return this;
  }

  /** Makes each of the next {@code times} calls of {@code op} throw an {@link IOException}. */
  public FaultyStorage failNext(Operation op, int times) {
    for (int i = 1; i <= times; i++) {
      failCall(op, i);
    }
    return this;
  }

  /**
   * Makes the next put read {@code afterBytes} bytes of its content and then throw, as a connection
   * lost mid-upload would. With {@code leavePartialObject} the bytes read so far are stored under the
   * object's name, simulating a backend that is not atomic; otherwise nothing is stored.
   */
  public synchronized FaultyStorage breakNextPut(long afterBytes, boolean leavePartialObject) {
    partialPuts.add(new PartialPut(afterBytes, leavePartialObject));
    return this;
  }

  /** Makes the stream of the next get throw an {@link IOException} after delivering {@code afterBytes}. */
  public synchronized FaultyStorage breakNextGet(long afterBytes) {
    brokenGets.add(afterBytes);
    return this;
  }

  /**
   * Simulates a disk of {@code bytes} bytes: a put that would take the objects stored over it throws
   * an {@link IOException} saying "No space left on device", as a full local disk does. Objects already
   * in the wrapped storage count towards it.
   */
  public FaultyStorage capacity(long bytes) throws IOException {
    for (StorageObject o : delegate.list("")) {
      sizes.put(o.name(), o.size());
    }
    capacity = bytes;
    return this;
  }

  /**
   * Makes every later call of {@code op} wait {@code latency} before it reaches the wrapped storage, as
   * a round trip to remote storage would; {@link Duration#ZERO} turns it off.
   */
  public synchronized FaultyStorage latency(Operation op, Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    latencies.put(op, latency);
    return this;
  }

  /**
   * The most calls of {@code op} that were in progress at the same time, each from its start until the
   * wrapped storage answered (for {@link Operation#GET}: until the stream was opened).
   */
  public int peakConcurrency(Operation op) {
    return peaks.get(op).get();
  }

  /**
   * Makes {@link #parallelReads()} answer {@code n} instead of the wrapped storage's answer, e.g. 8 with a
   * {@link #latency} to stand for remote storage.
   */
  public FaultyStorage parallelReads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("parallel reads must be at least 1: " + n);
    }
    parallelReads = n;
    return this;
  }

  @Override
  public int parallelReads() {
    int n = parallelReads;
    return n > 0 ? n : delegate.parallelReads();
  }

  /** Removes every armed fault, latency and the capacity limit; counters keep counting. */
  public synchronized FaultyStorage heal() {
    faultsByOp.values().forEach(List::clear);
    latencies.replaceAll((op, d) -> Duration.ZERO);
    partialPuts.clear();
    brokenGets.clear();
    capacity = -1;
    return this;
  }

  /** How many times {@code op} was called, failed calls included. */
  public long calls(Operation op) {
    return calls.get(op).get();
  }

  /**
   * Bytes moved by {@code op}: for {@link Operation#PUT} the bytes handed to the wrapped storage by
   * successful and broken puts, for {@link Operation#GET} the bytes read from returned streams; zero
   * for the others.
   */
  public long bytes(Operation op) {
    return bytes.get(op).get();
  }

  @Override
  public String location() {
    return delegate.location();
  }

  private void enter(Operation op, String name) throws IOException {
    long call = calls.get(op).incrementAndGet();
    Fault hit = null;
    synchronized (this) {
      for (Fault f : faultsByOp.get(op)) {
        if (f.call() == call) {
          hit = f;
          break;
        }
      }
      if (hit != null) {
        faultsByOp.get(op).remove(hit);
      }
    }
    if (hit != null) {
      throw hit.failure().apply(name);
    }
    int now = inFlight.get(op).incrementAndGet();
    peaks.get(op).accumulateAndGet(now, Math::max);
    Duration latency;
    synchronized (this) {
      latency = latencies.get(op);
    }
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis(), latency.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        inFlight.get(op).decrementAndGet();
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted during the injected latency of " + op + " '" + name + "'");
      }
    }
  }

  /** Ends a call that {@link #enter} let through. */
  private void exit(Operation op) {
    inFlight.get(op).decrementAndGet();
  }

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    StorageNames.check(name);
    enter(Operation.PUT, name);
    try {
      int size = content.remaining();
      PartialPut partial;
      synchronized (this) {
        partial = partialPuts.isEmpty() ? null : partialPuts.remove(0);
      }
      if (partial != null && partial.afterBytes() < size) {
        int written = (int) partial.afterBytes();
        bytes.get(Operation.PUT).addAndGet(written);
        if (partial.leavePartialObject()) {
          ByteBuffer part = content.duplicate();
          part.limit(part.position() + written);
          delegate.put(name, part);
          sizes.put(name, (long) written);
        }
        throw new IOException("injected fault: connection lost after " + written + " of " + size
            + " bytes of put '" + name + "'");
      }
      Long before = null;
      boolean reserved = false;
      if (capacity >= 0) {
        // checked and reserved at once: concurrent puts must not all fit into the same free bytes
        synchronized (sizes) {
          long used = sizes.entrySet().stream().filter(e -> !e.getKey().equals(name)).mapToLong(Map.Entry::getValue).sum();
          if (used + size > capacity) {
            throw new IOException("No space left on device (injected: " + capacity + " bytes capacity, "
                + used + " used, put '" + name + "' needs " + size + ")");
          }
          before = sizes.put(name, (long) size);
          reserved = true;
        }
      }
      try {
        delegate.put(name, content);
      } catch (IOException | RuntimeException e) {
        if (reserved) {
          synchronized (sizes) {
            if (before == null) {
              sizes.remove(name);
            } else {
              sizes.put(name, before);
            }
          }
        }
        throw e;
      }
      sizes.put(name, (long) size);
      bytes.get(Operation.PUT).addAndGet(size);
    } finally {
      exit(Operation.PUT);
    }
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    enter(Operation.GET, name);
    try {
      Long breakAfter;
      synchronized (this) {
        breakAfter = brokenGets.isEmpty() ? null : brokenGets.remove(0);
      }
      return new CountingInputStream(delegate.get(name, offset, length), name, breakAfter == null ? -1 : breakAfter);
    } finally {
      exit(Operation.GET);
    }
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    enter(Operation.LIST, prefix);
    try {
      return delegate.list(prefix);
    } finally {
      exit(Operation.LIST);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    enter(Operation.DELETE, name);
    try {
      delegate.delete(name);
      sizes.remove(name);
    } finally {
      exit(Operation.DELETE);
    }
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    enter(Operation.STAT, name);
    try {
      return delegate.stat(name);
    } finally {
      exit(Operation.STAT);
    }
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    enter(Operation.STAT, name);
    try {
      return delegate.modified(name);
    } finally {
      exit(Operation.STAT);
    }
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return "faulty(" + delegate + ")";
  }

  /** Counts bytes read and throws once {@code breakAfter} bytes were delivered (if not negative). */
  private final class CountingInputStream extends FilterInputStream {
    private final String name;
    private final long breakAfter;
    private long delivered;

    CountingInputStream(InputStream in, String name, long breakAfter) {
      super(in);
      this.name = name;
      this.breakAfter = breakAfter;
    }

    private int allowed(int len) throws IOException {
      if (breakAfter < 0) {
        return len;
      }
      if (delivered >= breakAfter) {
        throw new IOException("injected fault: stream of '" + name + "' broken after " + delivered + " bytes");
      }
      return (int) Math.min(len, breakAfter - delivered);
    }

    @Override
    public int read() throws IOException {
      allowed(1);
      int b = in.read();
      if (b >= 0) {
        delivered++;
        bytes.get(Operation.GET).incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = in.read(b, off, allowed(len));
      if (n > 0) {
        delivered += n;
        bytes.get(Operation.GET).addAndGet(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(8192, Math.max(n, 1))];
      long skipped = 0;
      while (skipped < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }
  }
}
