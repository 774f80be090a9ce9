package dev.cairn.backup.internal.copy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.repository.BlobSink;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.snapshot.SnapshotCodec;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.StillStored;
import dev.cairn.backup.internal.tree.TreeCodec;
import java.io.Closeable;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies snapshots from one repository to another (docs/copy.md). A snapshot is identified across
 * repositories by its content ({@link #identity}): everything it records except tree ids and parent,
 * which differ between repositories, and tags, which {@code cairn tag} may change on either side. For each snapshot the destination lacks, every tree of the
 * snapshot is read from the source (checked), and only blobs the destination lacks are added
 * (decrypted, checked, re-encrypted with the destination's keys). When both repositories share their
 * chunking ({@link EncryptedRepository#sharesChunking}) blobs keep their ids; otherwise data blob ids
 * are recomputed with the destination's id key and trees are rewritten to refer to them. Data is
 * flushed (packs, then an index) every few packs, so an interrupted copy leaves indexed blobs that
 * the next copy reuses; the snapshot is written last, after a final flush.
 *
 * <p>Not thread-safe: one instance per copy.
 */
public final class SnapshotCopier {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopier.class);
  private static final ObjectId ZERO = ObjectId.of(new byte[ObjectId.LENGTH]);
  /**
   * Source blobs are read, decrypted, decompressed and checked on this many threads (the caller and
   * helpers), so reading keeps up with the destination's compress/encrypt workers; each thread holds
   * at most one ranged read of up to 32 MiB.
   */
  private static final int READERS = 2;

  private final EncryptedRepository src;
  private final EncryptedRepository dst;
  private final boolean shared;
  private final ProgressTracker progress;
  private final long flushEvery;
  /** Without shared chunking: source chunk id to destination chunk id, for chunks stored in the destination. */
  private final Map<ObjectId, ObjectId> mapped = new ConcurrentHashMap<>();
  /**
   * Without shared chunking: source tree id to destination tree id, for trees complete in the destination.
   * Apart from the chunks: a file whose bytes are a tree's has that tree's id, but not its destination id.
   */
  private final Map<ObjectId, ObjectId> mappedTrees = new ConcurrentHashMap<>();
  /** Without shared chunking: source trees whose copy in the destination lacks something. */
  private final Set<ObjectId> incompleteTrees = new HashSet<>();
  /** With shared chunking: source trees handled completely in this run. */
  private final Set<ObjectId> doneTrees = new HashSet<>();
  /** The locks held on the two repositories while {@link #run} copies. */
  private Lock srcLock;
  private Lock dstLock;
  /** Threads reading (decrypting, checking) source blobs besides the calling thread. */
  private final ExecutorService readers;
  private final int readerCount;
  private final AtomicLong sinceFlush = new AtomicLong();
  private final AtomicLong blobs = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private SnapshotCopier(EncryptedRepository src, EncryptedRepository dst, ProgressListener listener) {
    this.src = src;
    this.dst = dst;
    this.shared = src.sharesChunking(dst);
    this.progress = new ProgressTracker("copy", listener, -1, -1);
    this.flushEvery = 8L * dst.options().packSize();
    this.readerCount = READERS;
    this.readers = Executors.newFixedThreadPool(READERS - 1, r -> {
      Thread t = new Thread(Compressor.releasingAtExit(r), "cairn-copy-reader");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Copies {@code wanted} (snapshots of {@code src}) to {@code dst}, skipping those {@code dst} already
   * holds. Takes shared locks on both repositories.
   *
   * @param target the destination's name for the report
   * @throws dev.cairn.backup.IntegrityException if a source blob or tree is damaged (nothing of the
   *     damaged snapshot is committed)
   * @throws dev.cairn.backup.StorageException if either storage fails; a later copy resumes
   */
  public static CopyReport copy(EncryptedRepository src, EncryptedRepository dst, List<Snapshot> wanted,
      String target, ProgressListener listener) {
    Objects.requireNonNull(wanted, "wanted");
    long start = System.nanoTime();
    SnapshotCopier c = new SnapshotCopier(src, dst, listener);
    try (Lock srcLock = src.lock(false); Lock dstLock = dst.lock(false);
        EncryptedRepository.WriteOperation writes = dst.beginWrites(); Closeable stop = c.readers::shutdownNow) {
      // a prune elsewhere may have deleted blobs either session's index still lists: never reuse those
      src.refreshIndex();
      dst.refreshIndex();
      long uploadedBefore = dst.stats().uploadedPackBytes();
      List<Snapshot> copied = new ArrayList<>();
      List<Snapshot> present = new ArrayList<>();
      c.dstLock = dstLock;
      c.srcLock = srcLock;
      c.run(wanted, copied, present);
      c.progress.emit();
      return new CopyReport(target, dst.storage().location(), copied, present, c.shared, c.blobs.get(),
          c.bytes.get(), dst.stats().uploadedPackBytes() - uploadedBefore, Duration.ofNanos(System.nanoTime() - start),
          "");
    } catch (IOException e) {
      throw new IllegalStateException("stopping copy readers cannot fail", e);
    }
  }

  private void run(List<Snapshot> wanted, List<Snapshot> copied, List<Snapshot> present) {
    List<Snapshot> dstAll = Snapshots.readable(dst);
    // the caller has read them all already when it copies every snapshot: not again (damaged ones: warned
    // about by the caller)
    java.util.Set<ObjectId> wantedIds = new java.util.HashSet<>();
    wanted.forEach(s -> wantedIds.add(s.id()));
    List<Snapshot> srcAll = wantedIds.containsAll(src.list(dev.cairn.backup.internal.repository.FileType.SNAPSHOT))
        ? wanted : Snapshots.all(src, (id, e) -> { });
    // Every source snapshot takes part in the matching, not only the wanted ones: a destination snapshot
    // that is the copy of another source snapshot of the same identity (the same instant, other tags)
    // must not make a wanted one look present.
    Map<ObjectId, Snapshot> sources = new java.util.LinkedHashMap<>();
    srcAll.forEach(s -> sources.put(s.id(), s));
    wanted.forEach(s -> sources.putIfAbsent(s.id(), s));
    Map<ObjectId, List<Snapshot>> unmatched = new HashMap<>();
    Map<ObjectId, Integer> dstCount = new HashMap<>();
    for (Snapshot d : dstAll) {
      unmatched.computeIfAbsent(identity(d), k -> new ArrayList<>()).add(d);
      dstCount.merge(identity(d), 1, Integer::sum);
    }
    Map<ObjectId, Integer> srcCount = new HashMap<>();
    sources.values().forEach(s -> srcCount.merge(identity(s), 1, Integer::sum));
    // Each destination snapshot stands for one source snapshot: first those with the same tags, then
    // any (one re-tagged since). Two backups that differ only in tags (the same second, e.g. with a
    // coarse clock) are then both copied, while a re-tagged one is not copied again.
    Map<ObjectId, Snapshot> copyOf = new HashMap<>(); // source snapshot id -> its copy in the destination
    for (boolean sameTags : new boolean[] {true, false}) {
      for (Snapshot s : sources.values()) {
        if (copyOf.containsKey(s.id())) {
          continue;
        }
        List<Snapshot> candidates = unmatched.getOrDefault(identity(s), List.of());
        for (Snapshot d : candidates) {
          if (!sameTags || d.tags().equals(s.tags())) {
            candidates.remove(d);
            copyOf.put(s.id(), d);
            break;
          }
        }
      }
    }
    List<Snapshot> todo = new ArrayList<>();
    for (Snapshot s : wanted) {
      (copyOf.containsKey(s.id()) ? present : todo).add(s);
    }
    todo.sort(Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
    if (todo.isEmpty()) {
      return;
    }
    if (!shared) {
      // Trees of snapshots copied before tell which destination id each source blob got; only where the
      // pairing is unambiguous (one snapshot of that identity on each side), as trees are paired by
      // position and size, not by content
      for (Snapshot s : srcAll) {
        Snapshot d = copyOf.get(s.id());
        ObjectId idy = identity(s);
        if (d != null && srcCount.get(idy) == 1 && dstCount.get(idy) == 1) {
          for (SnapshotSource part : s.sources()) {
            d.source(part.name()).ifPresent(dp -> pair(part.tree(), dp.tree()));
          }
        }
      }
    }
    for (Snapshot s : todo) {
      LOG.debug("copying snapshot {} to {}", s.id().shortHex(), dst.storage().location());
      List<SnapshotSource> parts = new ArrayList<>();
      for (SnapshotSource part : s.sources()) {
        ObjectId tree = copyTree(part.tree(), part.name());
        parts.add(new SnapshotSource(part.name(), part.type(), tree, part.metadata(), part.verifications(),
            part.entries(), part.bytes()));
      }
      dst.flush();
      sinceFlush.set(0);
      Snapshot p = s.parent() == null ? null : copyOf.get(s.parent());
      ObjectId parent = p == null ? null : p.id();
      // a lock that lapsed may have let a prune delete what this snapshot refers to, on either side
      srcLock.checkHeld();
      dstLock.checkHeld();
      // and where locks cannot tell (a process suspended past the stale time, hosts whose clocks differ):
      // if another session changed the destination's index meanwhile, everything this snapshot refers to
      // there, including what was deduplicated against, must still be stored
      StillStored.check(dst, parts.stream().map(SnapshotSource::tree).toList(),
          "of the destination that this copy deduplicated against", "snapshot " + s.id().shortHex() + " was not"
              + " copied (those before it were). Run the copy again: it sends them anew");
      Snapshot written = Snapshots.save(dst, new Snapshot(s.id(), s.time(), s.host(), s.plan(), s.tags(), parent,
          parts, s.checks(), s.complete()));
      copyOf.put(s.id(), written);
      copied.add(written);
      LOG.info("copied snapshot {} to {} as {}", s.id().shortHex(), dst.storage().location(),
          written.id().shortHex());
    }
  }

  /**
   * Records which destination ids the blobs of an already copied source tree have, for those the
   * destination still holds (a repair there may have taken lost ones out of its index: they are copied
   * again); true if the destination holds all of the tree, so that copying it can stop there.
   */
  private boolean pair(ObjectId srcTree, ObjectId dstTree) {
    if (mappedTrees.containsKey(srcTree)) {
      return true;
    }
    if (incompleteTrees.contains(srcTree) || !dst.hasBlob(dstTree)) {
      return false;
    }
    List<Node> a = TreeCodec.decode(src.readBlob(srcTree), "tree " + srcTree);
    List<Node> b = TreeCodec.decode(dst.readBlob(dstTree), "tree " + dstTree);
    if (a.size() != b.size()) {
      return false;
    }
    boolean whole = true;
    for (int i = 0; i < a.size(); i++) {
      Node x = a.get(i);
      Node y = b.get(i);
      if (!x.name().equals(y.name()) || x.content().size() != y.content().size()) {
        whole = false;
        continue;
      }
      if (x.subtree() != null && y.subtree() != null) {
        whole &= pair(x.subtree(), y.subtree());
      } else if (x.subtree() != null || y.subtree() != null) {
        whole = false;
      }
      for (int k = 0; k < x.content().size(); k++) {
        if (dst.hasBlob(y.content().get(k))) {
          mapped.putIfAbsent(x.content().get(k), y.content().get(k));
        } else {
          whole = false; // lost in the destination: copied again
        }
      }
    }
    if (whole) {
      mappedTrees.putIfAbsent(srcTree, dstTree);
    } else {
      incompleteTrees.add(srcTree); // paired as far as it goes: not walked again for another path
    }
    return whole;
  }

  /** Copies the tree {@code id} and everything below it; returns its id in the destination. */
  private ObjectId copyTree(ObjectId id, String path) {
    if (shared ? doneTrees.contains(id) : mappedTrees.containsKey(id)) {
      return shared ? id : mappedTrees.get(id);
    }
    byte[] raw = src.readBlob(id);
    List<Node> nodes = TreeCodec.decode(raw, "tree " + id + " at " + path);
    Set<ObjectId> missing = new LinkedHashSet<>();
    for (Node n : nodes) {
      if (n.subtree() != null) {
        copyTree(n.subtree(), path + "/" + n.name());
      }
      for (ObjectId c : n.content()) {
        if (shared ? !dst.hasBlob(c) : !mapped.containsKey(c)) {
          missing.add(c);
        }
      }
    }
    if (!missing.isEmpty()) {
      readAll(missing, (blob, b, off, len) -> {
        ObjectId to = shared ? blob : dst.chunkId(b, off, len);
        if (!shared) {
          mapped.put(blob, to);
        }
        add(BlobType.DATA, to, b, off, len, path);
      });
      if (sinceFlush.get() >= flushEvery) {
        // Durable progress: an interrupted copy finds these blobs in the index and skips them.
        dst.flush();
        sinceFlush.set(0);
      }
    }
    if (shared) {
      add(BlobType.TREE, id, raw, 0, raw.length, path);
      doneTrees.add(id);
      return id;
    }
    List<Node> rewritten = new ArrayList<>(nodes.size());
    for (Node n : nodes) {
      rewritten.add(new Node(n.name(), n.type(), n.size(), n.modifiedTime(), n.mode(), n.inode(), n.attributes(),
          n.linkTarget(), n.content().stream().map(mapped::get).toList(),
          n.subtree() == null ? null : mappedTrees.get(n.subtree())));
    }
    byte[] encoded = TreeCodec.encode(rewritten);
    ObjectId to = dst.chunkId(encoded, 0, encoded.length);
    add(BlobType.TREE, to, encoded, 0, encoded.length, path);
    mappedTrees.put(id, to);
    return to;
  }

  /**
   * Reads {@code ids} from the source into {@code sink}, split by pack over the reader threads (the
   * sink must be thread-safe); rethrows the first failure.
   */
  private void readAll(Set<ObjectId> ids, BlobSink sink) {
    Map<ObjectId, List<ObjectId>> byPack = new TreeMap<>();
    for (ObjectId id : ids) {
      ObjectId pack = src.lookup(id).map(l -> l.pack()).orElse(ZERO); // unknown ids fail in readBlobs
      byPack.computeIfAbsent(pack, k -> new ArrayList<>()).add(id);
    }
    List<List<ObjectId>> parts = new ArrayList<>();
    for (int i = 0; i < readerCount; i++) {
      parts.add(new ArrayList<>());
    }
    long[] load = new long[readerCount];
    for (List<ObjectId> group : byPack.values()) {
      int least = 0;
      for (int i = 1; i < readerCount; i++) {
        least = load[i] < load[least] ? i : least;
      }
      parts.get(least).addAll(group);
      load[least] += group.size();
    }
    List<Future<?>> running = new ArrayList<>();
    for (int i = 1; i < readerCount; i++) {
      List<ObjectId> part = parts.get(i);
      if (!part.isEmpty()) {
        running.add(readers.submit(() -> src.readBlobs(part, sink)));
      }
    }
    RuntimeException failure = null;
    try {
      src.readBlobs(parts.get(0), sink);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
            : new BackupException("reading source blobs failed: " + e.getCause(), e.getCause());
        if (failure == null) {
          failure = cause;
        } else if (cause != failure) { // both readers can meet the destination's one stored failure
          failure.addSuppressed(cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackupException("interrupted while copying", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void add(BlobType type, ObjectId id, byte[] b, int off, int len, String path) {
    if (dst.addBlob(type, id, b, off, len)) {
      blobs.incrementAndGet();
      bytes.addAndGet(len);
      sinceFlush.addAndGet(len);
      progress.bytes(len, path);
    }
  }

  /**
   * A snapshot's identity across repositories: the SHA-256 of its stored form with tree ids, parent
   * and tags left out (time, host, plan, per-source names, types, metadata, verification data, counts,
   * check outcomes and completeness stay). Equal for a snapshot and its copies, also after either was
   * re-tagged.
   */
  public static ObjectId identity(Snapshot s) {
    List<SnapshotSource> parts = s.sources().stream().map(p -> new SnapshotSource(p.name(), p.type(), ZERO,
        p.metadata(), p.verifications(), p.entries(), p.bytes())).toList();
    // without tags: a snapshot re-tagged after it was copied is still the same snapshot
    byte[] form = SnapshotCodec.encode(new Snapshot(ZERO, s.time(), s.host(), s.plan(), List.of(), null, parts,
        s.checks(), s.complete()));
    try {
      return ObjectId.of(MessageDigest.getInstance("SHA-256").digest(form));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable in this JDK", e);
    }
  }
}
