package dev.cairn.backup.internal.repository;

import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.compress.Compression;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How a session opens or creates an {@link EncryptedRepository}: threads, pack size, memory bounds,
 * compression, and (for init and new keys) chunker sizes and Argon2 costs. Immutable; build with
 * {@link #builder()}.
 *
 * <p>Memory held by the write path is bounded by about
 * {@code (workers + 1 + maxInFlightPacks) × (packSize + chunker max) + workers × chunker max
 * + maxInFlightBlobBytes} (the 1: the pack of trees, apart from data): with the defaults on 2 cores,
 * 3 × 24 + 2 × 24 + 2 × 8 + 32 = 168 MiB. The chunker-sized parts are grown as blobs need them, so
 * backing up small files takes much less.
 * Lower {@code packSize}, {@code maxInFlightPacks} or {@code maxInFlightBlobBytes} for smaller heaps.
 *
 * @param workers threads compressing and encrypting blobs (default: available processors, but no more
 *     than a quarter of the heap holds pack buffers for, since each worker fills a pack of its own: on a
 *     16-core machine a 192 MiB heap ran out of memory with 16 buffers)
 * @param executor where workers run; empty: the repository starts its own daemon threads
 * @param packSize target pack size in bytes (default 16 MiB); a pack is closed once it reaches it
 * @param maxInFlightPacks packs closed but not yet uploaded before adders block (default 2)
 * @param maxInFlightBlobBytes plaintext bytes accepted by {@code addBlob} but not yet packed before
 *     adders block (default: workers × 2 × chunker max, at least 16 MiB)
 * @param uploadThreads threads uploading packs (default 2)
 * @param compression compression for new blobs; empty: the repository config's default
 * @param chunker chunk size limits for a new repository (init only; default 512 KiB / 1 MiB / 8 MiB)
 * @param argon2 Argon2id costs for new key files (default m=64 MiB, t=3, p=1)
 * @param clock clock for lock and key timestamps (default: system UTC)
 * @param hostname host name recorded in locks and keys (default: the local host name)
 * @param lockStaleAfter a lock not refreshed for this long is stale (default 30 minutes)
 * @param lockRefreshInterval how often a held lock is refreshed (default 5 minutes)
 */
public record RepositoryOptions(int workers, Optional<Executor> executor, int packSize, int maxInFlightPacks,
    long maxInFlightBlobBytes, int uploadThreads, Optional<Compression> compression, ChunkerParams chunker,
    Argon2Parameters argon2, Clock clock, String hostname, Duration lockStaleAfter, Duration lockRefreshInterval) {

  /** Default pack size: 16 MiB. */
  public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

  /** Checks the values. */
  public RepositoryOptions {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(chunker, "chunker");
    Objects.requireNonNull(argon2, "argon2");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(lockStaleAfter, "lockStaleAfter");
    Objects.requireNonNull(lockRefreshInterval, "lockRefreshInterval");
  }

  /** All defaults. */
  public static RepositoryOptions defaults() {
    return builder().build();
  }

  /** A builder with all defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.workers = workers;
    b.executor = executor.orElse(null);
    b.packSize = packSize;
    b.maxInFlightPacks = maxInFlightPacks;
    b.maxInFlightBlobBytes = maxInFlightBlobBytes;
    b.uploadThreads = uploadThreads;
    b.compression = compression.orElse(null);
    b.chunker = chunker;
    b.argon2 = argon2;
    b.clock = clock;
    b.hostname = hostname;
    b.lockStaleAfter = lockStaleAfter;
    b.lockRefreshInterval = lockRefreshInterval;
    return b;
  }

  /** Builds {@link RepositoryOptions}; mutable, single-threaded. */
  public static final class Builder {
    private int workers; // 0: the default, from the cores and the heap
    private Executor executor;
    private int packSize = DEFAULT_PACK_SIZE;
    private int maxInFlightPacks = 2;
    private long maxInFlightBlobBytes = -1;
    private int uploadThreads = 2;
    private Compression compression;
    private ChunkerParams chunker = ChunkerParams.defaults();
    private Argon2Parameters argon2 = Argon2Parameters.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private String hostname;
    private Duration lockStaleAfter = Duration.ofMinutes(30);
    private Duration lockRefreshInterval = Duration.ofMinutes(5);

    private Builder() {}

    /** Worker threads for compression and encryption (at least 1). */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** Runs workers and uploads on {@code executor} (owned by the caller, not shut down on close). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Target pack size in bytes (64 KiB .. 1 GiB). */
    public Builder packSize(int packSize) {
      if (packSize < 64 * 1024 || packSize > (1 << 30)) {
        throw new IllegalArgumentException("packSize must be between 64 KiB and 1 GiB, got " + packSize);
      }
      this.packSize = packSize;
      return this;
    }

    /** Closed packs waiting for upload before adders block (at least 1). */
    public Builder maxInFlightPacks(int maxInFlightPacks) {
      if (maxInFlightPacks < 1) {
        throw new IllegalArgumentException("maxInFlightPacks must be at least 1, got " + maxInFlightPacks);
      }
      this.maxInFlightPacks = maxInFlightPacks;
      return this;
    }

    /** Plaintext bytes accepted but not yet packed before adders block (at least 1 MiB). */
    public Builder maxInFlightBlobBytes(long bytes) {
      if (bytes < 1024 * 1024) {
        throw new IllegalArgumentException("maxInFlightBlobBytes must be at least 1 MiB, got " + bytes);
      }
      this.maxInFlightBlobBytes = bytes;
      return this;
    }

    /** Threads uploading packs (at least 1). */
    public Builder uploadThreads(int uploadThreads) {
      if (uploadThreads < 1) {
        throw new IllegalArgumentException("uploadThreads must be at least 1, got " + uploadThreads);
      }
      this.uploadThreads = uploadThreads;
      return this;
    }

    /** Compression for new blobs, overriding the repository's default. */
    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** Chunk size limits for {@code init}. */
    public Builder chunker(ChunkerParams chunker) {
      this.chunker = Objects.requireNonNull(chunker, "chunker");
      return this;
    }

    /** Argon2id costs for key files written in this session (init, addKey, changePassphrase). */
    public Builder argon2(Argon2Parameters argon2) {
      this.argon2 = Objects.requireNonNull(argon2, "argon2");
      return this;
    }

    /** Clock for timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Host name recorded in locks and key files. */
    public Builder hostname(String hostname) {
      this.hostname = Objects.requireNonNull(hostname, "hostname");
      return this;
    }

    /** Age after which an unrefreshed lock is stale (at least 1 second). */
    public Builder lockStaleAfter(Duration d) {
      if (d.isNegative() || d.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("lockStaleAfter must be at least 1 s, got " + d);
      }
      this.lockStaleAfter = d;
      return this;
    }

    /** Interval between refreshes of a held lock (positive). */
    public Builder lockRefreshInterval(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("lockRefreshInterval must be positive, got " + d);
      }
      this.lockRefreshInterval = d;
      return this;
    }

    /** Builds the options. */
    public RepositoryOptions build() {
      if (lockRefreshInterval.compareTo(lockStaleAfter) >= 0) {
        throw new IllegalStateException("lockRefreshInterval (" + lockRefreshInterval
            + ") must be shorter than lockStaleAfter (" + lockStaleAfter + ")");
      }
      int workers = this.workers > 0 ? this.workers : defaultWorkers(packSize, chunker.max());
      long inFlight = maxInFlightBlobBytes > 0 ? maxInFlightBlobBytes
          : Math.max(16L << 20, (long) workers * 2 * chunker.max());
      return new RepositoryOptions(workers, Optional.ofNullable(executor), packSize, maxInFlightPacks, inFlight,
          uploadThreads, Optional.ofNullable(compression), chunker, argon2, clock,
          hostname != null ? hostname : localHostname(), lockStaleAfter, lockRefreshInterval);
    }

    /** One worker per core, but no more than a quarter of the heap holds pack buffers for. */
    private static int defaultWorkers(int packSize, int chunkMax) {
      long fit = Runtime.getRuntime().maxMemory() / 4 / ((long) packSize + chunkMax);
      return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), fit));
    }

    private static String localHostname() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
      }
    }
  }
}
