package dev.cairn.backup.internal.repository;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.WrongPassphraseException;
import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compression;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.crypto.Aead;
import dev.cairn.backup.internal.crypto.KeyFile;
import dev.cairn.backup.internal.crypto.MasterKeys;
import dev.cairn.backup.internal.index.BlobIndex;
import dev.cairn.backup.internal.index.IndexFile;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.lock.LockInfo;
import dev.cairn.backup.internal.lock.LockManager;
import dev.cairn.backup.internal.lock.LockStore;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.pack.PackFormat;
import dev.cairn.backup.internal.pack.PackWriter;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.time.Instant;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encrypted, deduplicated content store on one {@link Storage} (format: docs/format.md): key
 * files, the config, packs of compressed and encrypted blobs, index files, unpacked objects
 * (snapshots) and locks.
 *
 * <p>Writing: {@link #addBlob} hands a blob to a worker pool that compresses and encrypts it into an
 * open pack; full packs are uploaded asynchronously; adders block when too much is in flight, so
 * memory stays bounded. {@link #flush()} makes everything added durable: packs first, then an index
 * file listing them. Reading: every object is checked against its name (SHA-256) and every blob
 * against its id (HMAC-SHA-256) and authentication tag; failures raise
 * {@link dev.cairn.backup.IntegrityException} naming the pack and blob.
 *
 * <p>Thread-safe. The caller owns the {@link Storage}; {@link #close()} flushes nothing (call
 * {@link #flush()} first), stops the threads this repository started and is idempotent.
 */
public final class EncryptedRepository implements AutoCloseable {
  /** How old key files without a config must be before init takes them for an interrupted init's. */
  private static final java.time.Duration ORPHAN_KEY_AGE = java.time.Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(EncryptedRepository.class);
  /** Unpacked objects (snapshots, indexes, locks) are compressed with zstd level 3 when that shrinks them. */
  private static final Compression UNPACKED_COMPRESSION = Compression.zstd(3);
  /** Write an index file after this many packs even before flush, so an interrupted backup's packs are reused. */
  static final int INDEX_EVERY_PACKS = 32;
  /**
   * ... or after this many blobs, whichever comes first: the blobs of packs not yet in an index file
   * are held in memory, and packs of small files hold tens of thousands of blobs each (restic's index
   * files are full at 50,000 blobs too).
   */
  static final int INDEX_EVERY_BLOBS = 50_000;
  private static final long MAX_READ_GAP = 256 * 1024;
  /** Gap read along between wanted small blobs (trees), at most. */
  private static final long SMALL_READ_GAP = 16 * 1024;
  private static final long MAX_READ_RUN = 32L * 1024 * 1024;
  private static final int HEADER_READ = 64 * 1024;
  /**
   * Blobs of this size or more are bulk data: before the first one, the JIT is made to compile
   * AES-GCM and SHA-256 with their intrinsics ({@link Aead#warmUp()}, once per JVM), which small
   * metadata reads (a backup of unchanged files) never need.
   */
  private static final int BULK = 64 * 1024;
  /** Bytes of small blobs read in one {@link #readBlobs} call from which the crypto warm-up pays off. */
  private static final long BULK_TOTAL = 8L << 20;
  /** Largest blob accepted; packs stay below 2^31 bytes. */
  static final int MAX_BLOB = 512 * 1024 * 1024;
  private final Object flushLock = new Object();

  private final ObjectStore store;
  private final RepositoryOptions options;
  private final RepositoryConfig config;
  private final MasterKeys keys;
  private final long[] gear;
  private final Compression compression;
  private final ThreadLocal<Mac> idMac;
  private final SecureRandom random = new SecureRandom();
  private volatile ObjectId currentKey;
  private volatile BlobIndex index = new BlobIndex();
  private volatile Set<ObjectId> damagedIndexFiles = Set.of();
  /** The index files {@link #index} was loaded from (plus those this session wrote), to notice others' changes. */
  private volatile Set<ObjectId> indexFiles = Set.of();

  // write pipeline
  private final Object dedupLock = new Object();
  private final Set<ObjectId> inFlight = new HashSet<>();
  private final Semaphore blobBudget;
  private final int budgetPermits;
  private final int slotCount;
  private final BlockingQueue<PackSlot> writers;
  /**
   * The pack writer of tree blobs, apart from data as in restic: a backup writes each directory's tree
   * as soon as the directory is walked, and trees among file data would cost a ranged read per
   * directory to list a snapshot from remote storage. Together, a level of a tree is a read or two.
   */
  private final BlockingQueue<PackSlot> treeWriter = new ArrayBlockingQueue<>(1);
  private final Semaphore packsInFlight;
  private final ConcurrentLinkedQueue<byte[]> bufferPool = new ConcurrentLinkedQueue<>();
  private final BlobBuffers blobBuffers;
  private final int bufferSize;
  private final Pending pending = new Pending();
  /** Packing jobs not yet started; run by the workers, or by adders and flush while they wait. */
  private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Object writeOperationsLock = new Object();
  private int writeOperations; // guarded by writeOperationsLock: operations between beginWrites and its close
  private final Object indexWriteLock = new Object();
  private List<IndexFile.PackRecord> unindexed = new ArrayList<>();
  private int unindexedBlobs; // guarded by indexWriteLock
  /** Set when a pack of {@link #unindexed} was deleted: the in-memory index still holds its blobs. */
  private volatile boolean indexStale;
  private final Executor workers;
  private final ExecutorService ownedWorkers;
  private final ExecutorService uploads;
  private final Object loadPoolLock = new Object();
  private ExecutorService loadPool; // guarded by loadPoolLock; created when first needed
  private final ScheduledExecutorService scheduler;
  private final LockManager lockManager;
  private volatile boolean closed;

  private final LongAdder addedBlobs = new LongAdder();
  private final LongAdder addedBytes = new LongAdder();
  private final LongAdder addedStoredBytes = new LongAdder();
  private final LongAdder uploadedPackBytes = new LongAdder();

  private EncryptedRepository(ObjectStore store, RepositoryOptions options, RepositoryConfig config, MasterKeys keys,
      ObjectId currentKey) {
    this.store = store;
    this.options = Objects.requireNonNull(options, "options");
    this.config = config;
    this.keys = keys;
    this.currentKey = currentKey;
    this.gear = Chunker.gearTable(keys.chunkerSeed());
    this.compression = options.compression().orElse(config.compression());
    byte[] idKey = keys.id();
    this.idMac = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(idKey, "HmacSHA256"));
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
      }
    });
    this.budgetPermits = (int) Math.min(Integer.MAX_VALUE, options.maxInFlightBlobBytes());
    this.blobBudget = new Semaphore(budgetPermits);
    this.blobBuffers = new BlobBuffers(budgetPermits / 2);
    this.slotCount = options.workers();
    int maxBlob = Math.max(config.chunker().max(), 1 << 20);
    // a pack is closed before a blob would overflow its buffer, so buffers need only the pack size plus
    // room for a header (blobs larger than that go alone into a grown buffer)
    this.bufferSize = options.packSize() + 64 * 1024;
    this.writers = new ArrayBlockingQueue<>(slotCount);
    for (int i = 0; i < slotCount; i++) {
      writers.add(new PackSlot(new PackWriter(keys, random, maxBlob),
          new Compressor(compression)));
    }
    treeWriter.add(new PackSlot(new PackWriter(keys, random, maxBlob), new Compressor(compression)));
    this.packsInFlight = new Semaphore(options.maxInFlightPacks());
    if (options.executor().isPresent()) {
      this.workers = options.executor().get();
      this.ownedWorkers = null;
    } else {
      this.ownedWorkers = Executors.newFixedThreadPool(options.workers(), daemonThreads("cairn-worker"));
      this.workers = ownedWorkers;
    }
    this.uploads = Executors.newFixedThreadPool(options.uploadThreads(), daemonThreads("cairn-upload"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("cairn-lock-refresh"));
    this.lockManager = new LockManager(new LockStore() {
      @Override
      public ObjectId save(byte[] json) {
        return saveUnpacked(FileType.LOCK, json);
      }

      @Override
      public byte[] load(ObjectId id) {
        return loadUnpacked(FileType.LOCK, id);
      }

      @Override
      public List<ObjectId> list() {
        return store.list(FileType.LOCK);
      }

      @Override
      public void delete(ObjectId id) {
        store.delete(ObjectStore.name(FileType.LOCK, id));
      }
    }, options.clock(), options.hostname(), options.lockStaleAfter(), options.lockRefreshInterval(), scheduler);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(Compressor.releasingAtExit(r), prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static ObjectId writeKeyFile(ObjectStore store, MasterKeys keys, Secret passphrase, RepositoryOptions o) {
    KeyFile kf = KeyFile.create(keys, passphrase, o.argon2(), o.clock().instant(), o.hostname(),
        System.getProperty("user.name", "unknown"), new SecureRandom());
    return store.putHashed(FileType.KEY, kf.toJson());
  }

  private void loadIndex() {
    BlobIndex fresh = new BlobIndex();
    List<ObjectId> files = store.list(FileType.INDEX);
    // merged in listing order as they arrive: which copy of a duplicated blob wins stays the same, and
    // only a few decoded index files are held at a time
    List<ObjectId> damaged = new ArrayList<>();
    loadEach(files, id -> readIndexFile(id, damaged), f -> {
      if (f != null) {
        for (IndexFile.PackRecord p : f.packs()) {
          fresh.addPack(p.id(), p.salt(), p.entries());
        }
      }
    });
    if (!damaged.isEmpty()) {
      // the packs a damaged index file listed are still in storage: read their headers, so that every
      // command works (and a backup does not store their blobs again) until 'repair index' writes a new one
      List<ObjectId> unknown = new ArrayList<>(store.list(FileType.PACK));
      unknown.removeAll(new HashSet<>(fresh.packs()));
      LOG.warn("{} of {} index files are damaged and were skipped; reading the headers of the {} packs no other"
          + " index file lists. Run 'cairn repair index' to write a sound index", damaged.size(), files.size(),
          unknown.size());
      loadEach(unknown, pack -> {
        try {
          return readHeaderOrNull(pack, null);
        } catch (StorageException e) {
          // a bad sector on a rotated drive must not keep the repository from opening: the pack stays
          // unknown (prune refuses while the index is damaged; repair index names it)
          LOG.warn("pack {} could not be read, its blobs stay unknown until 'cairn repair index': {}",
              pack.shortHex(), e.getMessage());
          return null;
        }
      }, r -> {
        if (r != null) {
          fresh.addPack(r.id(), r.salt(), r.entries());
        }
      });
    }
    synchronized (dedupLock) {
      synchronized (indexWriteLock) {
        // packs this session uploaded but has not indexed yet stay known
        for (IndexFile.PackRecord p : unindexed) {
          fresh.addPack(p.id(), p.salt(), p.entries());
        }
        index = fresh;
        indexFiles = Set.copyOf(files);
        damagedIndexFiles = Set.copyOf(damaged);
      }
    }
    LOG.debug("loaded index: {} blobs in {} packs", fresh.size(), fresh.packs().size());
  }

  /**
   * Index file {@code id}, or null (with {@code id} added to {@code damaged}) if its content is damaged.
   * A storage failure is thrown: a file that cannot be read now is not known to be damaged.
   */
  private IndexFile readIndexFile(ObjectId id, List<ObjectId> damaged) {
    try {
      return IndexFile.decode(loadUnpacked(FileType.INDEX, id), ObjectStore.name(FileType.INDEX, id));
    } catch (IntegrityException e) {
      LOG.warn("{}; skipped", e.getMessage());
      synchronized (damaged) {
        damaged.add(id);
      }
      return null;
    }
  }

  /** Pack {@code pack}'s header, or null (with the pack added to {@code unreadable}) if it is damaged. */
  private IndexFile.PackRecord readHeaderOrNull(ObjectId pack, List<ObjectId> unreadable) {
    try {
      return headerRecord(pack);
    } catch (IntegrityException e) {
      LOG.warn("pack {} has an unreadable header: {}", pack.shortHex(), e.getMessage());
      if (unreadable != null) {
        synchronized (unreadable) {
          unreadable.add(pack);
        }
      }
      return null;
    }
  }

  /**
   * Index files found damaged when the index was last loaded (their packs were indexed from their
   * headers instead); empty when the index is sound.
   */
  public Set<ObjectId> damagedIndexFiles() {
    return damagedIndexFiles;
  }

  /**
   * Whether deriving {@code kf}'s key needs more than half of this JVM's heap: it could end the process
   * with OutOfMemoryError before the other keys were tried, and one such key file (written with large
   * parameters, or planted by someone with write access) must not stop the keys that can be tried. Half,
   * not what is free now, so that the same repository opens the same way every time (the default key
   * needs 64 MiB; the CLI's 192 MiB heap allows 96).
   */
  private static boolean tooCostly(KeyFile kf, String name) {
    long needs = (long) kf.argon2().memoryKiB() * 1024;
    long heap = Runtime.getRuntime().maxMemory();
    if (needs <= heap / 2) {
      return false;
    }
    LOG.warn("key file {} needs {} MiB for its Argon2 key derivation, more than half of this JVM's {} MiB heap:"
        + " not tried (raise the heap, e.g. CAIRN_JAVA_OPTS=-Xmx{}m, to use it)", name, needs >> 20, heap >> 20,
        (needs * 2 >> 20) + 64);
    return true;
  }

  /** The packs in storage with the sizes the listing gives (a foreign object under data/ is left out). */
  public java.util.Map<ObjectId, Long> packSizes() {
    java.util.Map<ObjectId, Long> out = new java.util.HashMap<>();
    try {
      for (var o : storage().list(FileType.PACK.prefix())) {
        String n = o.name();
        try {
          out.put(ObjectId.parse(n.substring(n.lastIndexOf('/') + 1)), o.size());
        } catch (IllegalArgumentException notAPack) {
          // a foreign object
        }
      }
    } catch (java.io.IOException e) {
      throw new dev.cairn.backup.StorageException("could not list packs in " + storage().location() + ": " + e,
          false, e);
    }
    return out;
  }

  /**
   * Reloads the index if index files were added or removed since it was loaded, by another
   * process's backup or prune. A backup calls it right after taking its lock, so a long-lived
   * session never deduplicates against blobs that a prune has deleted meanwhile. Cheap when nothing
   * changed (one listing).
   *
   * @return whether the index was reloaded
   */
  public boolean refreshIndex() {
    checkOpen();
    if (!indexStale && Set.copyOf(store.list(FileType.INDEX)).equals(indexFiles)) {
      return false;
    }
    indexStale = false;
    loadIndex();
    return true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("repository " + storage().location() + " is closed");
    }
  }

  private void fail(Throwable t) {
    if (!failure.compareAndSet(null, t) && failure.get() != t) { // the same failure can come back
      failure.get().addSuppressed(t);
    }
    LOG.debug("background write failed", t);
  }

  private void rethrowFailure() {
    Throwable t = failure.get();
    if (t != null) {
      if (t instanceof BackupException be) {
        throw be;
      }
      throw new BackupException("writing to " + storage().location() + " failed: " + t, t);
    }
  }

  private RuntimeException notIndexed(ObjectId id) {
    synchronized (dedupLock) {
      if (inFlight.contains(id)) {
        return new IllegalStateException("blob " + id + " was added but is not written yet: call flush() first");
      }
    }
    return new IntegrityException("blob " + id + " is not in the index of " + storage().location()
        + ": the repository is damaged (run a check)");
  }

  /**
   * Takes {@code permits} bytes of the in-flight budget. While it is exhausted the caller runs
   * queued packing jobs itself, so adders make progress even when the executor's threads are all
   * busy (for example when an injected executor's threads are themselves the adders).
   */
  private void acquireBudget(int permits) throws InterruptedException {
    while (!blobBudget.tryAcquire(permits)) {
      if (!runQueuedJob()) {
        if (blobBudget.tryAcquire(permits, 20, TimeUnit.MILLISECONDS)) {
          return;
        }
        rethrowFailure();
      }
    }
  }

  /** Runs the oldest queued packing job, if any; returns whether one ran. */
  private boolean runQueuedJob() {
    Runnable job = jobs.poll();
    if (job == null) {
      return false;
    }
    // the job is the repository's, maybe another operation's blob: an interrupt meant for this caller (a
    // cancelled backup helping out) must not fail it, which would fail every operation on the repository
    boolean interrupted = Thread.interrupted();
    try {
      job.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return true;
  }

  /** Runs on a worker: compress and encrypt one blob into an open pack; close the pack when full. */
  private void packBlob(BlobType type, ObjectId id, byte[] data, int len) throws InterruptedException {
    // uninterruptibly: a packing job runs to its end whoever runs it (see runQueuedJob)
    BlockingQueue<PackSlot> queue = type == BlobType.TREE ? treeWriter : writers;
    PackSlot slot = null;
    boolean interrupted = false;
    while (slot == null) {
      try {
        slot = queue.take();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    try {
      int stored = slot.writer.stage(data, 0, len, slot.compressor);
      if (slot.writer.isOpen() && slot.writer.count() > 0
          && slot.writer.room(PackFormat.headerSize(slot.writer.count() + 1) + 4) < stored) {
        // close the pack rather than grow its buffer: buffers stay at the pack size
        closeAndUpload(slot.writer);
      }
      if (!slot.writer.isOpen()) {
        byte[] buf = bufferPool.poll();
        slot.writer.start(buf != null ? buf : new byte[bufferSize]);
      }
      PackEntry e = slot.writer.commit(type, id, data, 0, len, slot.compressor);
      addedBlobs.increment();
      addedBytes.add(len);
      addedStoredBytes.add(e.length());
      if (slot.writer.size() >= options.packSize()) {
        closeAndUpload(slot.writer);
      }
    } finally {
      queue.add(slot);   // never blocks: the queue holds every slot
    }
  }

  /** Closes the writer's pack and hands it to an uploader; blocks while too many packs are in flight. */
  private void closeAndUpload(PackWriter writer) throws InterruptedException {
    packsInFlight.acquireUninterruptibly();   // an upload slot frees as an upload ends, failed or not
    PackWriter.FinishedPack p;
    try {
      p = writer.finish();
    } catch (RuntimeException e) {
      packsInFlight.release();
      throw e;
    }
    pending.increment();
    try {
      uploads.execute(() -> {
        try {
          upload(p);
        } catch (Throwable t) {
          fail(t);
        } finally {
          if (p.buffer().length == bufferSize) {
            bufferPool.offer(p.buffer());
          }
          packsInFlight.release();
          pending.decrement();
        }
      });
    } catch (RuntimeException e) {
      packsInFlight.release();
      pending.decrement();
      throw e;
    }
  }

  private void upload(PackWriter.FinishedPack p) {
    store.put(ObjectStore.name(FileType.PACK, p.id()), p.buffer(), 0, p.length());
    uploadedPackBytes.add(p.length());
    synchronized (dedupLock) {
      index.addPack(p.id(), p.salt(), p.entries());
      for (PackEntry e : p.entries()) {
        inFlight.remove(e.id());
      }
    }
    boolean due;
    synchronized (indexWriteLock) {
      unindexed.add(new IndexFile.PackRecord(p.id(), p.salt(), p.entries()));
      unindexedBlobs += p.entries().size();
      due = unindexed.size() >= INDEX_EVERY_PACKS || unindexedBlobs >= INDEX_EVERY_BLOBS;
    }
    LOG.trace("uploaded pack {} ({} blobs, {} bytes)", p.id().shortHex(), p.entries().size(), p.length());
    if (due) {
      writeIndex(false);
    }
  }

  /** Writes an index file for the uploaded packs not yet in one. */
  private void writeIndex(boolean evenIfFew) {
    synchronized (indexWriteLock) {
      if (unindexed.isEmpty()
          || (!evenIfFew && unindexed.size() < INDEX_EVERY_PACKS && unindexedBlobs < INDEX_EVERY_BLOBS)) {
        return;
      }
      IndexFile f = new IndexFile(List.of(), unindexed);
      ObjectId id = saveUnpacked(FileType.INDEX, f.encode());
      Set<ObjectId> files = new HashSet<>(indexFiles);
      files.add(id);
      indexFiles = Set.copyOf(files);
      LOG.debug("wrote index {} for {} packs", id.shortHex(), unindexed.size());
      unindexed = new ArrayList<>();
      unindexedBlobs = 0;
    }
  }

  /** Reads a pack's salt and header with two ranged reads (one when the header is small). */
  private IndexFile.PackRecord headerRecord(ObjectId pack) {
    String name = ObjectStore.name(FileType.PACK, pack);
    long size = store.size(name);
    int tailLen = (int) Math.min(size, HEADER_READ);
    byte[] tail = store.readRange(name, size - tailLen, tailLen);
    int h = PackFormat.headerLength(tail, tailLen, size, pack.hex());
    byte[] salt = PackFormat.salt(store.readRange(name, 0, PackFormat.BLOBS_START), 0, pack.hex());
    byte[] header;
    int hoff;
    if (h + 4 <= tailLen) {
      header = tail;
      hoff = tailLen - 4 - h;
    } else {
      header = store.readRange(name, size - 4 - h, h);
      hoff = 0;
    }
    List<PackEntry> entries = PackFormat.readHeader(PackFormat.packKey(keys, salt), header, hoff, h, pack.hex());
    return new IndexFile.PackRecord(pack, salt, entries);
  }

  BlobLocation location(ObjectId pack, PackEntry e) {
    return new BlobLocation(e.id(), e.type(), pack, Integer.toUnsignedLong(e.offset()), e.length(),
        e.uncompressedLength(), e.codec());
  }

  static PackEntry entry(BlobLocation l) {
    return new PackEntry(l.type(), l.codec(), l.id(), (int) l.offset(), l.length(), l.uncompressedLength());
  }

  MasterKeys masterKeys() {
    return keys;
  }

  ObjectStore objectStore() {
    return store;
  }

  byte[] packSalt(ObjectId pack) {
    return index.salt(pack);
  }

  /** Decrypts, decompresses and checks the blob stored at {@code src[off]}. */
  byte[] openBlob(BlobLocation loc, byte[] src, int off) {
    return openBlob(loc, src, off, null);
  }

  private byte[] openBlob(BlobLocation loc, byte[] src, int off, byte[] scratch) {
    byte[] salt = index.salt(loc.pack());
    if (salt == null) {
      throw new IntegrityException("pack " + loc.pack() + " of blob " + loc.id() + " is not in the index");
    }
    return openBlob(loc, PackFormat.packKey(keys, salt), src, off, scratch);
  }

  byte[] openBlob(BlobLocation loc, javax.crypto.SecretKey packKey, byte[] src, int off) {
    return openBlob(loc, packKey, src, off, null);
  }

  private byte[] openBlob(BlobLocation loc, javax.crypto.SecretKey packKey, byte[] src, int off, byte[] scratch) {
    byte[] plain = scratch == null ? PackFormat.openBlob(packKey, entry(loc), src, off, loc.pack().hex())
        : PackFormat.openBlob(packKey, entry(loc), src, off, loc.pack().hex(), scratch);
    if (!chunkId(plain, 0, plain.length).equals(loc.id())) {
      throw new IntegrityException("blob " + loc.id() + " in pack " + loc.pack()
          + " is damaged: its content does not match its id");
    }
    return plain;
  }

  /** A pack writer with its compressor, owned by one worker at a time. */
  private record PackSlot(PackWriter writer, Compressor compressor) {}

  /** Takes every pack slot, data writers first and the tree writer last, into {@code slots}. */
  private void takeAllSlots(List<PackSlot> slots) throws InterruptedException {
    for (int i = 0; i < slotCount; i++) {
      slots.add(writers.take());
    }
    slots.add(treeWriter.take());
  }

  /** Gives back the slots {@link #takeAllSlots} took (some of them, if it was interrupted). */
  private void giveBackSlots(List<PackSlot> slots) {
    for (int i = 0; i < slots.size(); i++) {
      (i < slotCount ? writers : treeWriter).add(slots.get(i));
    }
  }

  /** Counts background tasks so flush can wait for them. */
  private static final class Pending {
    private int count;

    synchronized void increment() {
      count++;
    }

    synchronized void decrement() {
      if (--count == 0) {
        notifyAll();
      }
    }

    synchronized void awaitZero() {
      while (count > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BackupException("interrupted while waiting for background writes", e);
        }
      }
    }
  }

  /**
   * Creates a new repository in {@code storage}: random master keys, a key file for
   * {@code passphrase}, and the config.
   *
   * @throws dev.cairn.backup.ConfigurationException if the storage already holds a repository
   * @throws dev.cairn.backup.StorageException if the storage fails
   */
  public static EncryptedRepository init(Storage storage, Secret passphrase, RepositoryOptions options) {
    return create(storage, passphrase, options, null);
  }

  /**
   * Creates a new repository that chunks and identifies content exactly like {@code template}: same
   * chunker sizes, gear seed and id key (its encryption key is new). The same content then gets the
   * same chunk ids in both, so snapshots can be copied between them without rewriting trees and
   * deduplication carries across copies (restic's {@code init --copy-chunker-params}). Someone holding
   * both repositories' passphrases can tell which chunks they share; nobody else learns anything.
   *
   * @throws dev.cairn.backup.ConfigurationException if the storage already holds a repository
   */
  public static EncryptedRepository initSharingChunking(Storage storage, Secret passphrase,
      RepositoryOptions options, EncryptedRepository template) {
    Objects.requireNonNull(template, "template");
    return create(storage, passphrase, options, template);
  }

  private static EncryptedRepository create(Storage storage, Secret passphrase, RepositoryOptions options,
      EncryptedRepository template) {
    Objects.requireNonNull(passphrase, "passphrase");
    ObjectStore store = new ObjectStore(storage, new SecureRandom());
    if (!store.exists("config") && !store.list(FileType.KEY).isEmpty() && store.list(FileType.INDEX).isEmpty()
        && store.list(FileType.SNAPSHOT).isEmpty() && store.list(FileType.PACK).isEmpty()) {
      // key files and nothing else: an init that failed or crashed before writing the config (key files are
      // written first). Nothing can open them (there is no config), so they are removed and init starts over;
      // but only once they are old enough that no other init (another host's, at the same moment) is still
      // writing its config after them
      Instant cut = Instant.now().minus(ORPHAN_KEY_AGE);
      for (ObjectId orphan : store.list(FileType.KEY)) {
        String name = ObjectStore.name(FileType.KEY, orphan);
        Optional<Instant> written;
        try {
          written = storage.modified(name);
        } catch (java.io.IOException e) {
          written = Optional.empty();
        }
        if (written.isEmpty() || written.get().isAfter(cut)) {
          throw new ConfigurationException("storage " + storage.location() + " holds key files but no config: an"
              + " init is running there, or one was interrupted. If none is running, run init again after "
              + ORPHAN_KEY_AGE.toMinutes() + " minutes (it then removes them), or delete " + name + " by hand");
        }
        LOG.warn("removing key file {} left by an interrupted init (the location has no config)", orphan.shortHex());
        store.delete(name);
      }
    }
    if (store.exists("config") || !store.list(FileType.KEY).isEmpty()) {
      throw new ConfigurationException("storage " + storage.location()
          + " already holds a repository (config or key files exist): open it instead, or choose an empty location");
    }
    SecureRandom random = new SecureRandom();
    MasterKeys keys = MasterKeys.random(random);
    if (template != null) {
      keys = new MasterKeys(keys.encryption(), template.keys.id(), template.keys.chunkerSeed());
    }
    byte[] repoId = new byte[32];
    random.nextBytes(repoId);
    RepositoryConfig config = new RepositoryConfig(RepositoryConfig.CURRENT_VERSION, ObjectId.of(repoId),
        options.clock().instant(), template != null ? template.config.chunker() : options.chunker(),
        options.compression().orElse(Compression.DEFAULT));
    ObjectId keyId = writeKeyFile(store, keys, passphrase, options);
    byte[] sealed = store.seal(keys, FileType.CONFIG, ConfigJson.write(config), Compression.none());
    store.put("config", sealed, 0, sealed.length);
    LOG.info("created repository {} in {}", config.id().shortHex(), storage.location());
    return new EncryptedRepository(store, options, config, keys, keyId);
  }

  /**
   * Opens the repository in {@code storage} with one of its passphrases and loads the index.
   *
   * @throws dev.cairn.backup.RepositoryNotFoundException if the storage has no config
   * @throws dev.cairn.backup.WrongPassphraseException if no key file opens with {@code passphrase}
   * @throws dev.cairn.backup.ConfigurationException if the repository's format version is unknown
   */
  public static EncryptedRepository open(Storage storage, Secret passphrase, RepositoryOptions options) {
    Objects.requireNonNull(passphrase, "passphrase");
    ObjectStore store = new ObjectStore(storage, new SecureRandom());
    if (!store.exists("config")) {
      throw new RepositoryNotFoundException("no Cairn repository at " + storage.location()
          + " (no config object): check the location, or create a repository there with init");
    }
    List<ObjectId> keyIds = store.list(FileType.KEY);
    MasterKeys keys = null;
    ObjectId keyId = null;
    // key files whose content no longer matches their name: tried last (bit rot in the metadata leaves the
    // wrapped keys intact, and the GCM tag still proves them), and named if none opens
    List<ObjectId> damaged = new ArrayList<>();
    List<String> tooCostly = new ArrayList<>();
    for (ObjectId id : keyIds) {
      String name = ObjectStore.name(FileType.KEY, id);
      byte[] stored = store.readAll(name);
      if (!ObjectStore.sha256(stored, 0, stored.length).equals(id)) {
        LOG.warn("key file {} is damaged: its content does not match its name; it is tried last", name);
        damaged.add(id);
        continue;
      }
      KeyFile kf = KeyFile.parse(stored, name);
      if (tooCostly(kf, name)) {
        tooCostly.add(name);
        continue;
      }
      Optional<MasterKeys> k = kf.open(passphrase);
      if (k.isPresent()) {
        keys = k.get();
        keyId = id;
        break;
      }
    }
    List<String> unusable = new ArrayList<>();
    for (int i = 0; keys == null && i < damaged.size(); i++) {
      ObjectId id = damaged.get(i);
      String name = ObjectStore.name(FileType.KEY, id);
      try {
        KeyFile damagedKey = KeyFile.parse(store.readAll(name), name);
        if (tooCostly(damagedKey, name)) {
          tooCostly.add(name);
          continue;
        }
        Optional<MasterKeys> k = damagedKey.open(passphrase);
        if (k.isPresent()) {
          LOG.warn("key file {} is damaged (its content does not match its name) but its wrapped keys are intact"
              + " and open with this passphrase: add a new key ('cairn key passwd') to replace it", name);
          keys = k.get();
          keyId = id;
        } else {
          unusable.add(name);
        }
      } catch (IntegrityException | ConfigurationException e) {
        unusable.add(name);
      }
    }
    if (keys == null && !unusable.isEmpty()) {
      throw new IntegrityException("no key file of the repository at " + storage.location() + " opens with this"
          + " passphrase, and " + unusable.size() + " of the " + keyIds.size() + " key files are damaged (their"
          + " content does not match their name): " + String.join(", ", unusable) + ". The passphrase may be"
          + " right and its key file damaged: use another passphrase of the repository, or restore the key file"
          + " from a copy. Nothing was changed");
    }
    if (keys == null && !tooCostly.isEmpty()) {
      throw new ConfigurationException("no key file of the repository at " + storage.location() + " that this"
          + " process could try opens with this passphrase; " + String.join(", ", tooCostly) + " need"
          + (tooCostly.size() == 1 ? "s" : "") + " more memory for its key derivation than half of this JVM's heap"
          + " (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): raise the heap, e.g. CAIRN_JAVA_OPTS=-Xmx2g,"
          + " and try again. Nothing was changed");
    }
    if (keys == null) {
      throw new WrongPassphraseException("wrong passphrase: none of the " + keyIds.size()
          + " key files of the repository at " + storage.location() + " opens with it. Nothing was changed");
    }
    byte[] plain = store.open(keys, FileType.CONFIG, store.readAll("config"), "config");
    RepositoryConfig config = ConfigJson.read(plain);
    EncryptedRepository repo = new EncryptedRepository(store, options, config, keys, keyId);
    try {
      repo.loadIndex();
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
    return repo;
  }

  /** True if {@code storage} holds a repository config. */
  public static boolean exists(Storage storage) {
    try {
      return storage.stat("config").isPresent();
    } catch (IOException e) {
      throw new StorageException("could not stat config in " + storage.location() + ": " + e, false, e);
    }
  }

  /** The storage (owned by the caller). */
  public Storage storage() {
    return store.storage();
  }

  /** The config read at open. */
  public RepositoryConfig config() {
    return config;
  }

  /** The options of this session. */
  public RepositoryOptions options() {
    return options;
  }

  /** A new FastCDC chunker with this repository's sizes and secret gear table; not thread-safe. */
  public Chunker newChunker() {
    return new Chunker(config.chunker(), gear);
  }

  /** The id of a blob: HMAC-SHA-256 of {@code b[off, off+len)} under the repository's id key. Thread-safe. */
  public ObjectId chunkId(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len >= BULK) {
      Aead.warmUp();
    }
    Mac mac = idMac.get();
    mac.update(b, off, len);
    return ObjectId.of(mac.doFinal());
  }

  /**
   * True if {@code other} computes the same chunk ids as this repository (same id key, chunker seed
   * and chunk sizes): one was created with the other's chunking, so blobs keep their ids when copied.
   */
  public boolean sharesChunking(EncryptedRepository other) {
    return Arrays.equals(keys.id(), other.keys.id()) && Arrays.equals(keys.chunkerSeed(), other.keys.chunkerSeed())
        && config.chunker().equals(other.config.chunker());
  }

  /** True if blob {@code id} is in the index or has been added in this session (possibly still in flight). */
  public boolean hasBlob(ObjectId id) {
    synchronized (dedupLock) {
      return index.contains(id) || inFlight.contains(id);
    }
  }

  /**
   * Adds a blob unless the repository already has it. Copies {@code b[off, off+len)} (the caller may
   * reuse its buffer on return), then compresses, encrypts and packs it on the worker pool; blocks
   * while too many bytes or packs are in flight. Errors of the background work (a failed upload)
   * surface from a later call or from {@link #flush()}; after one, every write fails with it until
   * no operation begun with {@link #beginWrites()} runs any more (the next one then clears it; packs
   * already uploaded and indexed are reused). Blobs may be up to 512 MiB (tree blobs larger than a chunk are
   * fine; a large blob makes a larger pack). A blob becomes readable with {@link #readBlob} once its
   * pack is uploaded (at the latest after {@link #flush()}).
   *
   * @param id the blob's id, as computed by {@link #chunkId} over the same bytes (not rechecked)
   * @return true if the blob was new, false if it was already present (deduplicated)
   */
  public boolean addBlob(BlobType type, ObjectId id, byte[] b, int off, int len) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "id");
    Objects.checkFromIndexSize(off, len, b.length);
    checkOpen();
    rethrowFailure();
    if (len > MAX_BLOB) {
      throw new IllegalArgumentException("blob of " + len + " bytes exceeds the maximum blob size of " + MAX_BLOB
          + " bytes: split it (chunk large content with newChunker())");
    }
    synchronized (dedupLock) {
      if (index.contains(id) || inFlight.contains(id)) {
        return false;
      }
      inFlight.add(id);
      // counted from the moment another adder may take the blob as present: flush waits for it from here
      pending.increment();
    }
    int permits = (int) Math.min(len, budgetPermits);
    boolean interrupted = false;
    boolean queued = false;
    try {
      while (true) {
        try {
          acquireBudget(permits);
          break;
        } catch (InterruptedException e) {
          // another adder may already refer to this blob as present: it must be stored all the same
          interrupted = true;
        }
      }
      byte[] copy = blobBuffers.take(len);
      System.arraycopy(b, off, copy, 0, len);
      jobs.add(() -> {
        try {
          packBlob(type, id, copy, len);
        } catch (Throwable t) {
          fail(t);
        } finally {
          blobBuffers.give(copy);
          blobBudget.release(permits);
          pending.decrement();
        }
      });
      queued = true;
    } catch (RuntimeException | Error t) {
      // the blob stays marked present (another adder may already refer to it) but is not stored: every
      // later flush must fail, never return as if it were durable
      fail(t);
      throw t;
    } finally {
      if (!queued) {
        pending.decrement();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      workers.execute(this::runQueuedJob);
    } catch (RuntimeException e) {
      // the executor refused: run the job here rather than lose it
      runQueuedJob();
    }
    if (interrupted) {
      throw new BackupException("interrupted while adding blob " + id.shortHex() + " (it is stored all the same)",
          new InterruptedException());
    }
    return true;
  }

  /**
   * Makes everything added so far durable: closes and uploads open packs, waits for all uploads,
   * then writes an index file listing the new packs. After it returns, the blobs may be referenced
   * from a snapshot.
   *
   * @throws dev.cairn.backup.StorageException if an upload failed
   */
  public void flush() {
    synchronized (flushLock) {
      checkOpen();
      while (runQueuedJob()) {
        // help: the executor may be busy elsewhere
      }
      pending.awaitZero();
      rethrowFailure();
      List<PackSlot> slots = new ArrayList<>();
      try {
        takeAllSlots(slots);
        for (PackSlot s : slots) {
          if (s.writer.isOpen() && s.writer.count() > 0) {
            closeAndUpload(s.writer);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackupException("interrupted while flushing", e);
      } finally {
        giveBackSlots(slots);
      }
      pending.awaitZero();
      rethrowFailure();
      writeIndex(true);
    }
  }

  /**
   * Marks the start of an operation that adds blobs and then commits what refers to them (a backup, a
   * copy into this repository, a rewrite), until the returned handle is closed. After a background
   * failure (a failed upload) every write fails with it, since the operations running then may refer to
   * the blobs it lost. Once none of them runs any more, the next operation to begin clears the failure:
   * the lost blobs and the packs still open are forgotten, so they are stored again, and a repository
   * kept open by an application works again once its storage does, as a new session would.
   *
   * @throws IllegalStateException if the repository is closed
   */
  public WriteOperation beginWrites() {
    synchronized (writeOperationsLock) {
      checkOpen();
      if (writeOperations == 0 && failure.get() != null) {
        recover();
      }
      writeOperations++;
    }
    return new WriteOperation();
  }

  /** An operation that writes, begun with {@link #beginWrites()}; {@link #close()} ends it (idempotent). */
  public final class WriteOperation implements AutoCloseable {
    private boolean closed;

    private WriteOperation() {}

    @Override
    public void close() {
      synchronized (writeOperationsLock) {
        if (!closed) {
          closed = true;
          writeOperations--;
          if (writeOperations == 0) {
            releaseBuffers();
          }
        }
      }
    }
  }

  /**
   * Lets the GC have the pooled pack and blob buffers once no operation writes any more: a repository kept
   * open after a backup (a plan's primary while it copies to the next target, an application's session)
   * would otherwise hold tens of MiB it no longer needs. A later write allocates them again.
   */
  private void releaseBuffers() {
    bufferPool.clear();
    blobBuffers.clear();
  }

  /** Forgets what an earlier failure left behind; only while no operation that writes is running. */
  private void recover() {
    synchronized (flushLock) {
      while (runQueuedJob()) {
        // jobs of the failed operations: they fail fast or finish
      }
      pending.awaitZero();
      List<PackSlot> slots = new ArrayList<>();
      try {
        takeAllSlots(slots);
        for (PackSlot slot : slots) {
          byte[] buf = slot.writer.discard(); // blobs of failed operations only: nothing refers to them
          if (buf != null && buf.length == bufferSize) {
            bufferPool.offer(buf);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackupException("interrupted while recovering from an earlier write failure", e);
      } finally {
        giveBackSlots(slots);
      }
      synchronized (dedupLock) {
        inFlight.clear(); // uploaded blobs left it on upload: these were lost, and are stored again when met
      }
      LOG.info("writing to {} again after an earlier failure: {}", storage().location(), failure.get().toString());
      failure.set(null);
    }
  }

  /**
   * Makes the packs uploaded so far reusable by a later session, without waiting for anything: writes
   * an index file for the uploaded packs not yet in one. Blobs still being packed or uploaded are not
   * covered (an interrupted backup uploads them again); adders are never stopped. Use {@link #flush()}
   * where everything added must be durable.
   *
   * @throws dev.cairn.backup.StorageException if a background write failed, or the index cannot be written
   */
  public void checkpoint() {
    checkOpen();
    rethrowFailure();
    writeIndex(true);
  }

  /**
   * Reads, decrypts, decompresses and checks one blob.
   *
   * @throws dev.cairn.backup.IntegrityException if the blob is not in the index, or damaged (naming
   *     the pack and blob)
   */
  public byte[] readBlob(ObjectId id) {
    BlobLocation loc = lookup(id).orElseThrow(() -> notIndexed(id));
    if (loc.length() >= BULK) {
      Aead.warmUp();
    }
    byte[] stored = store.readRange(ObjectStore.name(FileType.PACK, loc.pack()), loc.offset(), loc.length(),
        blobBuffers.take(loc.length()));
    byte[] scratch = loc.codec() == Codec.NONE ? null : blobBuffers.take(loc.length());
    try {
      return openBlob(loc, stored, 0, scratch);
    } finally {
      blobBuffers.give(stored);
      if (scratch != null) {
        blobBuffers.give(scratch);
      }
    }
  }

  /**
   * Reads small blobs (trees) by id with {@link #readBlobs}: a few ranged reads instead of one per blob.
   * Each returned array is the blob's own copy.
   *
   * @throws dev.cairn.backup.IntegrityException at the first blob missing from the index or damaged
   */
  public Map<ObjectId, byte[]> readBlobsById(Collection<ObjectId> ids) {
    Map<ObjectId, byte[]> out = new HashMap<>();
    // a small gap: trees share packs with file data, which a wide gap would read along
    readBlobs(ids, SMALL_READ_GAP, MAX_READ_RUN, (loc, plain) -> out.put(loc.id(), plain));
    return out;
  }

  /**
   * Reads many blobs efficiently: grouped by pack, in pack order, with one ranged read per run of
   * neighbouring blobs; every blob checked. Duplicated ids are delivered once.
   *
   * @throws dev.cairn.backup.IntegrityException at the first blob missing from the index or damaged
   */
  public void readBlobs(Collection<ObjectId> ids, BlobSink sink) {
    readBlobs(ids, MAX_READ_GAP, MAX_READ_RUN, (loc, plain) -> sink.accept(loc.id(), plain, 0, plain.length));
  }

  /**
   * Starts reading blobs by id on this repository's load threads ({@link Storage#parallelReads()} of
   * them, kept until it is closed), as {@link #readBlobs(Collection, BlobSink)} reads them: a ranged
   * read per run of neighbouring blobs of a pack, but no run longer than {@code maxRun} bytes, each run
   * on a thread of its own (a batch spread over several packs waits one round trip, not one per
   * run). Each returned array is the blob's own copy. The future fails as {@code readBlobs} would
   * throw (with the first failed run's error, which cancels the runs not started), and cancelling it,
   * or closing the repository, cancels the runs not started.
   */
  public Future<Map<ObjectId, byte[]>> readBlobsAsync(Collection<ObjectId> ids, long maxRun) {
    List<Run> runs;
    try {
      runs = runs(ids, MAX_READ_GAP, maxRun);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    AllRuns all = new AllRuns();
    try {
      for (Run run : runs) {
        all.add(submitLoad(() -> {
          if (all.failure != null) {
            throw new CancellationException("another read of the batch failed");
          }
          try {
            Map<ObjectId, byte[]> out = new HashMap<>();
            readRun(run, (loc, plain) -> out.put(loc.id(), plain));
            return out;
          } catch (RuntimeException | Error e) {
            all.failed(e);
            throw e;
          }
        }));
      }
    } catch (RuntimeException e) {
      all.cancel(false);
      throw e;
    }
    return all;
  }

  /**
   * The runs of one batch read as one future: done when all are. The first run that fails cancels
   * the runs not started, and {@link #get()} fails with its error.
   */
  private static final class AllRuns implements Future<Map<ObjectId, byte[]>> {
    private final List<Future<Map<ObjectId, byte[]>>> parts = new ArrayList<>(); // guarded by itself
    private volatile Throwable failure;
    private volatile Map<ObjectId, byte[]> merged; // once every run is read

    void add(Future<Map<ObjectId, byte[]>> part) {
      synchronized (parts) {
        parts.add(part);
      }
    }

    void failed(Throwable t) {
      if (failure == null) {
        failure = t;
      }
      cancel(false);
    }

    private List<Future<Map<ObjectId, byte[]>>> parts() {
      synchronized (parts) {
        return List.copyOf(parts);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean any = false;
      for (Future<?> f : parts()) {
        any |= f.cancel(mayInterruptIfRunning);
      }
      return any;
    }

    @Override
    public boolean isCancelled() {
      return parts().stream().anyMatch(Future::isCancelled);
    }

    @Override
    public boolean isDone() {
      return parts().stream().allMatch(Future::isDone);
    }

    @Override
    public Map<ObjectId, byte[]> get() throws InterruptedException, ExecutionException {
      try {
        return merge(Long.MAX_VALUE);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("waited without a deadline, yet timed out", e);
      }
    }

    @Override
    public Map<ObjectId, byte[]> get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
      return merge(unit.toNanos(timeout));
    }

    /**
     * All runs' blobs in one map, merged once: every chunk of the batch taken asks for it, and merging
     * each time would cost a batch's size per chunk.
     */
    private Map<ObjectId, byte[]> merge(long timeoutNanos)
        throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
      Map<ObjectId, byte[]> done = merged;
      if (done != null) {
        return done;
      }
      long deadline = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 2);
      Map<ObjectId, byte[]> all = new HashMap<>();
      for (Future<Map<ObjectId, byte[]>> f : parts()) {
        try {
          all.putAll(timeoutNanos == Long.MAX_VALUE ? f.get()
              : f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (CancellationException e) {
          if (failure != null) {
            throw new ExecutionException(failure);
          }
          throw e;
        }
      }
      merged = all;
      return all;
    }
  }

  /** One ranged read of pack {@code name}: {@code length} bytes from {@code start}, holding {@code blobs}. */
  private record Run(String name, long start, int length, List<BlobLocation> blobs) {}

  /**
   * As {@link #readBlobs(Collection, BlobSink)}, merging reads across gaps up to {@code maxGap} into
   * runs up to {@code maxRun} bytes; each plaintext is a fresh array.
   */
  private void readBlobs(Collection<ObjectId> ids, long maxGap, long maxRun, BiConsumer<BlobLocation, byte[]> sink) {
    for (Run run : runs(ids, maxGap, maxRun)) {
      readRun(run, sink);
    }
  }

  /**
   * The ranged reads that fetch {@code ids} (each once): grouped by pack, in pack order, neighbours
   * merged across gaps up to {@code maxGap} into runs up to {@code maxRun} bytes.
   *
   * @throws dev.cairn.backup.IntegrityException at the first blob missing from the index
   */
  private List<Run> runs(Collection<ObjectId> ids, long maxGap, long maxRun) {
    Map<ObjectId, List<BlobLocation>> byPack = new TreeMap<>();
    Set<ObjectId> seen = new HashSet<>();
    long total = 0;
    boolean bulk = false;
    for (ObjectId id : ids) {
      if (seen.add(id)) {
        BlobLocation loc = lookup(id).orElseThrow(() -> notIndexed(id));
        byPack.computeIfAbsent(loc.pack(), p -> new ArrayList<>()).add(loc);
        total += loc.length();
        bulk |= loc.length() >= BULK;
      }
    }
    if (bulk || total >= BULK_TOTAL) {
      Aead.warmUp(); // not for a few small trees: the warm-up would cost more than it saves
    }
    List<Run> runs = new ArrayList<>();
    for (var e : byPack.entrySet()) {
      List<BlobLocation> locs = e.getValue();
      locs.sort(Comparator.comparingLong(BlobLocation::offset));
      String name = ObjectStore.name(FileType.PACK, e.getKey());
      int i = 0;
      while (i < locs.size()) {
        int j = i + 1;
        long runStart = locs.get(i).offset();
        long runEnd = runStart + locs.get(i).length();
        while (j < locs.size() && locs.get(j).offset() - runEnd <= maxGap
            && locs.get(j).offset() + locs.get(j).length() - runStart <= maxRun) {
          runEnd = Math.max(runEnd, locs.get(j).offset() + locs.get(j).length());
          j++;
        }
        runs.add(new Run(name, runStart, (int) (runEnd - runStart), List.copyOf(locs.subList(i, j))));
        i = j;
      }
    }
    return runs;
  }

  /** Reads {@code run} and hands each of its blobs, opened and checked, to {@code sink}. */
  private void readRun(Run run, BiConsumer<BlobLocation, byte[]> sink) {
    byte[] bytes = store.readRange(run.name(), run.start(), run.length());
    for (BlobLocation loc : run.blobs()) {
      sink.accept(loc, openBlob(loc, bytes, (int) (loc.offset() - run.start())));
    }
  }

  /**
   * Encrypts and stores an object outside packs (a snapshot), named by the SHA-256 of its stored
   * bytes. Atomic; returns after the object is durable.
   *
   * @param type {@link FileType#SNAPSHOT} (or {@link FileType#INDEX}/{@link FileType#LOCK} for tools)
   * @return the object's id
   */
  public ObjectId saveUnpacked(FileType type, byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    if (type == FileType.CONFIG || type == FileType.KEY || type == FileType.PACK) {
      throw new IllegalArgumentException(type + " objects cannot be saved as unpacked objects");
    }
    return store.putHashed(type, store.seal(keys, type, plaintext, UNPACKED_COMPRESSION));
  }

  /**
   * Loads, checks and decrypts an unpacked object.
   *
   * @throws dev.cairn.backup.IntegrityException if it does not match its name or fails authentication
   * @throws dev.cairn.backup.StorageException if it cannot be read (for a missing object, a cause of
   *     {@link java.nio.file.NoSuchFileException}, {@code isPermanent()} true)
   */
  public byte[] loadUnpacked(FileType type, ObjectId id) {
    String name = ObjectStore.name(type, id);
    byte[] stored = store.readAll(name);
    if (!ObjectStore.sha256(stored, 0, stored.length).equals(id)) {
      throw new IntegrityException(name + " is damaged: its content does not match its name (SHA-256)");
    }
    return store.open(keys, type, stored, name);
  }

  /**
   * Applies {@code load} to every id and hands the results to {@code consumer} on the calling thread,
   * in the order of {@code ids}. As many loads run at a time as the storage's
   * {@link Storage#parallelReads()} (a repository gains an index file and a snapshot per backup, and
   * on remote storage each read waits a round trip), on threads this repository keeps until it is
   * closed; at most that many results wait for the consumer. The first load that fails, in
   * {@code ids} order, is rethrown as it was thrown (a checked exception wrapped in a
   * {@link BackupException}) and the loads after it are cancelled.
   */
  public <T> void loadEach(List<ObjectId> ids, Function<ObjectId, T> load, Consumer<T> consumer) {
    checkOpen();
    int parallel = Math.min(store.storage().parallelReads(), ids.size());
    if (parallel <= 1) {
      for (ObjectId id : ids) {
        consumer.accept(load.apply(id));
      }
      return;
    }
    ArrayDeque<Future<T>> window = new ArrayDeque<>();
    int next = 0;
    try {
      while (next < ids.size() && window.size() < parallel) {
        ObjectId id = ids.get(next++);
        window.add(submitLoad(() -> load.apply(id)));
      }
      while (!window.isEmpty()) {
        T result;
        try {
          result = window.peek().get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new BackupException("reading from " + store.storage().location() + " failed: " + cause, cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BackupException("interrupted while reading from " + store.storage().location(), e);
        } catch (CancellationException e) {
          throw new IllegalStateException("repository " + storage().location() + " was closed while reading", e);
        }
        window.poll();
        if (next < ids.size()) {
          ObjectId id = ids.get(next++);
          window.add(submitLoad(() -> load.apply(id)));
        }
        consumer.accept(result);
      }
    } finally {
      window.forEach(f -> f.cancel(true)); // only after a failure: the rest is not needed
    }
  }

  /** Runs {@code task} on the load threads; a repository closed meanwhile is an {@link IllegalStateException}. */
  private <T> Future<T> submitLoad(java.util.concurrent.Callable<T> task) {
    try {
      return loadPool().submit(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("repository " + storage().location() + " is closed", e);
    }
  }

  private ExecutorService loadPool() {
    synchronized (loadPoolLock) {
      checkOpen();
      if (loadPool == null) {
        loadPool = Executors.newFixedThreadPool(Math.max(1, store.storage().parallelReads()),
            daemonThreads("cairn-load"));
      }
      return loadPool;
    }
  }

  /** Lists the ids of the objects of {@code type} in storage (not {@link FileType#CONFIG}). */
  public List<ObjectId> list(FileType type) {
    return store.list(type);
  }

  /** Deletes an object of {@code type}; absent is fine. Key files: use {@link #removeKey}. */
  public void delete(FileType type, ObjectId id) {
    if (type == FileType.CONFIG || type == FileType.KEY) {
      throw new IllegalArgumentException("use removeKey to remove key files; the config is never deleted");
    }
    store.delete(ObjectStore.name(type, id));
    if (type == FileType.PACK) {
      boolean ours;
      synchronized (indexWriteLock) {
        ours = unindexed.removeIf(p -> p.id().equals(id));
      }
      if (ours) {
        // written by this session but never indexed (its backup failed), and now deleted by a prune: its
        // blobs must leave this session's index, or a later backup deduplicates against the deleted pack
        // (and indexes it): the next refresh reloads the index
        indexStale = true;
      }
    }
  }

  /**
   * Takes a shared (backup) or exclusive (maintenance) lock, refreshed in the background until closed.
   *
   * @throws dev.cairn.backup.RepositoryLockedException naming the holder of a conflicting live lock
   */
  public Lock lock(boolean exclusive) {
    checkOpen();
    return lockManager.acquire(exclusive);
  }

  /** Lists the lock objects in the repository, stale ones marked. */
  public List<LockInfo> locks() {
    return lockManager.list();
  }

  /** Removes stale locks; with {@code all}, every lock (for {@code unlock --remove-all}). Returns how many. */
  public int removeLocks(boolean all) {
    return all ? lockManager.removeAll() : lockManager.removeStale();
  }

  /** Lists the key files; the one this session opened with is marked current. */
  public List<KeyInfo> keys() {
    List<KeyInfo> out = new ArrayList<>();
    for (ObjectId id : store.list(FileType.KEY)) {
      String name = ObjectStore.name(FileType.KEY, id);
      KeyFile kf;
      try {
        kf = KeyFile.parse(store.readAll(name), name);
      } catch (IntegrityException e) {
        // listed, so that it can be removed: a damaged key file must not hide the others
        LOG.warn("{}", e.getMessage());
        out.add(new KeyInfo(id, null, "(damaged key file)", "", id.equals(currentKey)));
        continue;
      }
      out.add(new KeyInfo(id, kf.created(), kf.host(), kf.user(), id.equals(currentKey)));
    }
    return out;
  }

  /** Adds a key file for {@code passphrase} (Argon2 costs from the options); returns its id. */
  public ObjectId addKey(Secret passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    return writeKeyFile(store, keys, passphrase, options);
  }

  /**
   * Removes key file {@code id}.
   *
   * @throws IllegalArgumentException if it is the only key file, or does not exist
   */
  public void removeKey(ObjectId id) {
    List<ObjectId> ids = store.list(FileType.KEY);
    if (!ids.contains(id)) {
      throw new IllegalArgumentException("no key " + id.shortHex() + " in " + storage().location()
          + ": list the keys to see their ids");
    }
    if (ids.size() == 1) {
      throw new IllegalArgumentException("key " + id.shortHex()
          + " is the repository's only key: add another key before removing it");
    }
    // another key that can open the repository must remain: one whose content matches its name and parses
    // (a damaged key file is no key), or the one this session opened with
    boolean otherUsable = false;
    for (ObjectId other : ids) {
      if (other.equals(id)) {
        continue;
      }
      if (other.equals(currentKey)) {
        otherUsable = true;
        break;
      }
      String name = ObjectStore.name(FileType.KEY, other);
      byte[] stored = store.readAll(name);
      if (ObjectStore.sha256(stored, 0, stored.length).equals(other)) {
        try {
          KeyFile.parse(stored, name);
          otherUsable = true;
          break;
        } catch (IntegrityException | ConfigurationException e) {
          // not usable
        }
      }
    }
    if (!otherUsable) {
      throw new IllegalArgumentException("key " + id.shortHex() + " is the repository's only intact key (the"
          + " others are damaged): add another key before removing it");
    }
    store.delete(ObjectStore.name(FileType.KEY, id));
  }

  /**
   * Replaces the key file this session opened with by one for {@code newPassphrase} (new file
   * written first, then the old one removed). Returns the new key id.
   */
  public ObjectId changePassphrase(Secret newPassphrase) {
    ObjectId fresh = addKey(newPassphrase);
    ObjectId old = currentKey;
    if (store.exists(ObjectStore.name(FileType.KEY, old))) {
      store.delete(ObjectStore.name(FileType.KEY, old));
    }
    currentKey = fresh;
    return fresh;
  }

  /** Where blob {@code id} is stored according to the index. */
  public Optional<BlobLocation> lookup(ObjectId id) {
    return index.lookup(id);
  }

  /** Blob {@code id}'s number in the index now (see {@link BlobIndex#ordinal}), or -1 if not indexed. */
  public int indexOrdinal(ObjectId id) {
    return index.ordinal(id);
  }

  /** The packs the index knows, sorted. */
  public List<ObjectId> packs() {
    List<ObjectId> packs = new ArrayList<>(index.packs());
    packs.sort(null);
    return packs;
  }

  /**
   * The blobs the index lists for pack {@code pack}, in pack order (empty if unknown). The first
   * call after the index changed groups the index by pack once; later calls are cheap.
   */
  public List<BlobLocation> packContents(ObjectId pack) {
    return index.blobsOf(pack);
  }

  /**
   * Every pack record of index files {@code files}, read whole: each pack with every entry any of them lists for
   * it (the loaded index keeps one location per blob, so a blob stored in two packs is missing from the other's
   * {@link #packContents}). A damaged file fails like loading the index does not: callers hold a sound index.
   */
  public Map<ObjectId, IndexFile.PackRecord> indexRecords(List<ObjectId> files) {
    Map<ObjectId, IndexFile.PackRecord> records = new LinkedHashMap<>();
    loadEach(files, id -> IndexFile.decode(loadUnpacked(FileType.INDEX, id), ObjectStore.name(FileType.INDEX, id)),
        f -> {
          for (IndexFile.PackRecord p : f.packs()) {
            IndexFile.PackRecord known = records.get(p.id());
            if (known == null) {
              records.put(p.id(), p);
            } else {
              // two index files may describe one pack (an interrupted prune): the union of their entries
              Set<PackEntry> seen = new LinkedHashSet<>(known.entries());
              seen.addAll(p.entries());
              records.put(p.id(), new IndexFile.PackRecord(p.id(), known.salt(), new ArrayList<>(seen)));
            }
          }
        });
    return records;
  }

  /** Calls {@code action} for every blob in the index (no particular order). */
  public void forEachBlob(Consumer<BlobLocation> action) {
    index.forEach(action);
  }

  /**
   * Reads one pack completely and checks it: its hash against its name, its header, and every blob
   * (authentication, decompression, id). Never throws for damage: reports it.
   */
  public PackCheck checkPack(ObjectId pack) {
    Aead.warmUp();
    return PackChecker.check(this, pack, true);
  }

  /**
   * Reads the header of pack {@code pack} (the blobs it holds, from the pack alone).
   *
   * @throws dev.cairn.backup.IntegrityException if the header is damaged
   */
  public List<BlobLocation> readPackHeader(ObjectId pack) {
    IndexFile.PackRecord r = headerRecord(pack);
    List<BlobLocation> out = new ArrayList<>(r.entries().size());
    for (PackEntry e : r.entries()) {
      out.add(location(pack, e));
    }
    return out;
  }

  /**
   * Rebuilds the index from the pack headers in storage (all of them, whatever the index files say);
   * see {@link #repairIndex(boolean)}. Returns the packs whose header was unreadable.
   */
  public List<ObjectId> rebuildIndex() {
    return repairIndex(true).unreadablePacks();
  }

  /**
   * Writes one new index file for every pack in storage and deletes the old index files. The packs
   * that sound index files list are taken from them (unless {@code readAllPacks}); the headers of the
   * others (listed only by damaged index files, or by none: left by an interrupted backup) are read.
   * Index entries of packs no longer in storage are dropped. A pack whose header is damaged keeps what
   * a sound index file says of it, else it is left out and reported. A storage failure while reading
   * stops the repair before anything is written; once the new index file is written, a failure to
   * delete an old one leaves both (the union is still the index). Needs an exclusive lock held by the
   * caller.
   */
  public IndexRepair repairIndex(boolean readAllPacks) {
    checkOpen();
    List<ObjectId> oldIndexes = store.list(FileType.INDEX);
    Set<ObjectId> stored = new LinkedHashSet<>(store.list(FileType.PACK));
    // what sound index files say: used as is, or (reading all packs) where a header turns out damaged
    Map<ObjectId, IndexFile.PackRecord> indexed = new HashMap<>();
    Set<ObjectId> gone = new HashSet<>();
    List<ObjectId> damaged = new ArrayList<>();
    loadEach(oldIndexes, id -> readIndexFile(id, damaged), f -> {
      if (f != null) {
        for (IndexFile.PackRecord p : f.packs()) {
          indexed.putIfAbsent(p.id(), p);
        }
      }
    });
    // one listing may miss an object (a flaky directory listing, a paged listing cut short): a pack the index
    // lists is gone only when storage says so for that pack, else its data would leave the index as if lost
    for (Iterator<Map.Entry<ObjectId, IndexFile.PackRecord>> it = indexed.entrySet().iterator(); it.hasNext();) {
      ObjectId pack = it.next().getKey();
      if (!stored.contains(pack)) {
        if (store.exists(ObjectStore.name(FileType.PACK, pack))) {
          stored.add(pack);
        } else {
          gone.add(pack);
          it.remove();
        }
      }
    }
    Map<ObjectId, IndexFile.PackRecord> records = new LinkedHashMap<>();
    List<ObjectId> toRead = new ArrayList<>();
    for (ObjectId p : stored) {
      if (!readAllPacks && indexed.containsKey(p)) {
        records.put(p, indexed.get(p));
      } else {
        toRead.add(p);
      }
    }
    List<ObjectId> unreadable = new ArrayList<>();
    List<ObjectId> fromIndex = new ArrayList<>();
    loadEach(toRead, pack -> {
      IndexFile.PackRecord r = readHeaderOrNull(pack, null);
      if (r == null) {
        r = readHeaderOrNull(pack, null); // once more: a read that ended early looks like damage too
      }
      if (r == null && indexed.containsKey(pack)) {
        LOG.warn("pack {} has a damaged header after all; its blobs are kept as a sound index file lists them",
            pack.shortHex());
        r = indexed.get(pack);
        synchronized (fromIndex) {
          fromIndex.add(pack);
        }
      }
      if (r == null) {
        LOG.warn("pack {} is left out of the new index", pack.shortHex());
        synchronized (unreadable) {
          unreadable.add(pack);
        }
      }
      return r;
    }, r -> {
      if (r != null) {
        records.put(r.id(), r);
      }
    });
    ObjectId written = saveUnpacked(FileType.INDEX, new IndexFile(oldIndexes, new ArrayList<>(records.values())).encode());
    for (ObjectId old : oldIndexes) {
      if (!old.equals(written)) {
        store.delete(ObjectStore.name(FileType.INDEX, old));
      }
    }
    loadIndex();
    unreadable.sort(null);
    damaged.sort(null);
    fromIndex.sort(null);
    return new IndexRepair(oldIndexes.size(), damaged, records.size(), toRead.size(), unreadable, gone.size(),
        fromIndex);
  }

  /**
   * What {@link #repairIndex(boolean)} did.
   *
   * @param indexFilesReplaced index files deleted (replaced by the new one)
   * @param damagedIndexFiles those of them whose content was damaged
   * @param packsIndexed packs the new index lists
   * @param headersRead packs whose headers were read
   * @param unreadablePacks packs left out because their header is damaged
   * @param packsGone packs that old index files listed but storage no longer holds
   * @param damagedHeaders packs whose header is damaged but which a sound index file described (kept)
   */
  public record IndexRepair(int indexFilesReplaced, List<ObjectId> damagedIndexFiles, int packsIndexed,
      int headersRead, List<ObjectId> unreadablePacks, int packsGone, List<ObjectId> damagedHeaders) {
    public IndexRepair {
      damagedIndexFiles = List.copyOf(damagedIndexFiles);
      unreadablePacks = List.copyOf(unreadablePacks);
      damagedHeaders = List.copyOf(damagedHeaders);
    }
  }

  /** Counters of the index and of this session. */
  public RepositoryStats stats() {
    BlobIndex i = index;
    return new RepositoryStats(i.packs().size(), i.dataBlobs(), i.treeBlobs(), i.storedBytes(),
        i.uncompressedBytes(), addedBlobs.sum(), addedBytes.sum(), addedStoredBytes.sum(), uploadedPackBytes.sum());
  }

  /**
   * Releases the locks this repository took and still holds, stops background threads (pending,
   * unflushed blobs are dropped); idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lockManager.releaseAll();
    scheduler.shutdownNow();
    synchronized (loadPoolLock) {
      if (loadPool != null) {
        for (Runnable queued : loadPool.shutdownNow()) {
          if (queued instanceof Future<?> f) {
            f.cancel(false); // whoever waits for it learns now, instead of never
          }
        }
      }
    }
    uploads.shutdownNow();
    if (ownedWorkers != null) {
      ownedWorkers.shutdownNow();
    }
    try {
      uploads.awaitTermination(10, TimeUnit.SECONDS);
      if (ownedWorkers == null || ownedWorkers.awaitTermination(10, TimeUnit.SECONDS)) {
        for (PackSlot s : writers) {
          s.compressor.close();
        }
        for (PackSlot s : treeWriter) {
          s.compressor.close();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
