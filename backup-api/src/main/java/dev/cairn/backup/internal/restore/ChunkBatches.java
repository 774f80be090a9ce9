package dev.cairn.backup.internal.restore;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The chunks of a restore's files, read a batch at a time, for storage where every read waits a round
 * trip ({@link dev.cairn.backup.spi.Storage#parallelReads()} above 1), and for a restorer that opens
 * every file in the order they are listed ({@link dev.cairn.backup.DirectoryRestorer}, a few files
 * at a time). The chunk references of the files, in list order, are cut into batches of about
 * {@link #BATCH_BYTES} of content; a batch is read with one ranged read per run of neighbouring blobs
 * in a pack, so thousands of small files cost a few round trips instead of one each. Taking a chunk
 * reads its batch (the chunks of it not taken yet) if it is not loaded, and starts the reads of the
 * batches after it, up to {@link #AHEAD_BYTES} ahead and {@link #MAX_LOADS_AHEAD} batches at a time, on
 * the repository's load threads.
 *
 * <p>Memory stays bounded: a batch is dropped once each of its references has been taken (or given
 * up by a file stream closed early, which also cancels its read if it has not started), and when
 * more than {@link #RETAINED_BYTES} (at most a quarter of the heap) are loaded, the loaded batches
 * least recently asked for are dropped, and read again (what of them is still needed) if asked for.
 * Errors are those of reading chunk by chunk: when a batch cannot be read (a damaged chunk, a missing
 * pack, a storage error), it is read once more when next asked for, and its chunks are otherwise read
 * on their own, so a file fails only for its own chunks, with the repository's own message and the
 * storage's own retries. Thread-safe.
 */
final class ChunkBatches {
  /** Content (plaintext) bytes per batch, about. */
  static final long BATCH_BYTES = 4L << 20;
  /** Distinct chunks per batch, at most. */
  static final int BATCH_CHUNKS = 1024;
  /** Content read ahead of the batch being asked for. */
  static final long AHEAD_BYTES = 16L << 20;
  /** Batches read ahead at a time, at most (their runs share the repository's load threads). */
  static final int MAX_LOADS_AHEAD = 4;
  /** Loaded content above which the loaded batches least recently asked for are dropped. */
  static final long RETAINED_BYTES = 64L << 20;
  /** The longest ranged read (of stored bytes, gaps included) for a batch. */
  static final long MAX_RUN = 4L << 20;

  private final EncryptedRepository repo;
  private final long aheadBytes;
  private final long retainedBytes;
  private final Map<String, Integer> fileIndex; // path -> its place in the list
  private final int[] fileFirst; // file -> its first reference; one more at the end
  private final ObjectId[] refIds;
  private final int[] refBatch; // -1: not in the index, read on its own (and failing) as before
  private final Batch[] batches;
  private final BitSet opened = new BitSet(); // files; guarded by this
  private final BitSet used; // references taken or given up; guarded by this
  private final LinkedHashSet<Integer> loadedBatches = new LinkedHashSet<>(); // least recently asked for first; guarded by this
  private long loadedBytes; // guarded by this
  private boolean closed; // guarded by this

  private static final class Batch {
    int fromRef; // its references are among [fromRef, toRef)
    int toRef;
    long bytes;
    int remaining; // references not yet taken or given up; guarded by the ChunkBatches
    Future<Map<ObjectId, byte[]>> loaded; // null: not loaded, or dropped; guarded likewise
    boolean failedOnce; // guarded likewise
    boolean broken; // failed twice: its chunks are read on their own; guarded likewise
  }

  /** Cuts the content of {@code files} (path to chunk ids, in restore order) into batches. */
  ChunkBatches(EncryptedRepository repo, LinkedHashMap<String, List<ObjectId>> files) {
    this(repo, files, BATCH_BYTES, AHEAD_BYTES, Math.min(RETAINED_BYTES, Runtime.getRuntime().maxMemory() / 4));
  }

  /** As {@link #ChunkBatches(EncryptedRepository, LinkedHashMap)}, with other limits (for tests). */
  ChunkBatches(EncryptedRepository repo, LinkedHashMap<String, List<ObjectId>> files, long batchBytes,
      long aheadBytes, long retainedBytes) {
    this.repo = repo;
    this.aheadBytes = aheadBytes;
    this.retainedBytes = retainedBytes;
    int refs = 0;
    for (List<ObjectId> ids : files.values()) {
      refs += ids.size();
    }
    refIds = new ObjectId[refs];
    refBatch = new int[refs];
    used = new BitSet(refs);
    fileIndex = new HashMap<>(files.size() * 4 / 3 + 1);
    fileFirst = new int[files.size() + 1];
    List<Batch> cut = new ArrayList<>();
    Batch current = null;
    Set<ObjectId> inCurrent = new HashSet<>();
    int ref = 0;
    for (Map.Entry<String, List<ObjectId>> file : files.entrySet()) {
      fileFirst[fileIndex.size()] = ref;
      fileIndex.put(file.getKey(), fileIndex.size());
      for (ObjectId id : file.getValue()) {
        refIds[ref] = id;
        Optional<BlobLocation> loc = repo.lookup(id);
        if (loc.isEmpty()) {
          refBatch[ref++] = -1;
          continue;
        }
        if (current == null || (!inCurrent.contains(id) && (inCurrent.size() >= BATCH_CHUNKS
            || (current.bytes > 0 && current.bytes + loc.get().uncompressedLength() > batchBytes)))) {
          current = new Batch();
          current.fromRef = ref;
          cut.add(current);
          inCurrent.clear();
        }
        if (inCurrent.add(id)) {
          current.bytes += loc.get().uncompressedLength();
        }
        current.remaining++;
        current.toRef = ref + 1;
        refBatch[ref++] = cut.size() - 1;
      }
    }
    batches = cut.toArray(new Batch[0]);
    fileFirst[files.size()] = ref;
  }

  /**
   * The index of the first chunk reference of {@code path}, or -1 if the file was opened before: a
   * second reading of a file reads chunk by chunk, since its references are used up.
   */
  int open(String path) {
    Integer file = fileIndex.get(path);
    if (file == null) {
      return -1;
    }
    synchronized (this) {
      if (opened.get(file)) {
        return -1;
      }
      opened.set(file);
    }
    return fileFirst[file];
  }

  /**
   * The plaintext of chunk {@code id}, the reference at {@code ref}; each reference is taken or given
   * up once, and is used up even if this throws.
   *
   * @throws IntegrityException as {@link EncryptedRepository#readBlob} would throw for the chunk
   */
  byte[] take(int ref, ObjectId id) throws IOException {
    Future<Map<ObjectId, byte[]>> batch = null;
    try {
      batch = batchFor(ref);
      if (batch == null) {
        return repo.readBlob(id);
      }
      byte[] plain = batch.get().get(id);
      return plain != null ? plain : repo.readBlob(id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading chunk " + id);
    } catch (ExecutionException | CancellationException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      failed(refBatch[ref], batch);
      // the batch could not be read (some chunk damaged, a pack missing, a storage error, a close):
      // this chunk on its own, with the storage's retries, tells whether this file is affected
      return repo.readBlob(id);
    } finally {
      giveUp(ref, ref + 1);
    }
  }

  /** The read of the batch of reference {@code ref}, started if needed; null to read the chunk on its own. */
  private synchronized Future<Map<ObjectId, byte[]>> batchFor(int ref) {
    int b = refBatch[ref];
    if (b < 0 || closed || batches[b].broken) {
      return null;
    }
    loadedBatches.remove(b); // now the most recently asked for
    Future<Map<ObjectId, byte[]>> f = load(b);
    readAhead(b);
    return f;
  }

  /**
   * The read {@code f} of batch {@code b} failed: the next asking reads it again, once; after a second
   * failure its chunks are read on their own.
   */
  private synchronized void failed(int b, Future<Map<ObjectId, byte[]>> f) {
    if (b < 0 || f == null) {
      return;
    }
    Batch batch = batches[b];
    if (batch.loaded == f) {
      f.cancel(false); // its reads not started yet are not needed: the batch is read again, or alone
      batch.broken = batch.failedOnce;
      batch.failedOnce = true;
      unload(batch);
      loadedBatches.remove(b);
    }
  }

  /** Gives up the references {@code from} (inclusive) to {@code to} (exclusive): a file closed early. */
  synchronized void giveUp(int from, int to) {
    used.set(from, to);
    for (int ref = from; ref < to; ref++) {
      int b = refBatch[ref];
      if (b >= 0 && --batches[b].remaining == 0 && batches[b].loaded != null) {
        batches[b].loaded.cancel(false); // nobody waits for it: if it has not started, it never does
        unload(batches[b]);
        loadedBatches.remove(b);
      }
    }
  }

  /**
   * Stops the reads not started yet and drops every loaded batch: the restore is over. Chunks taken
   * afterwards are read on their own.
   */
  synchronized void close() {
    closed = true;
    for (int b : loadedBatches) {
      batches[b].loaded.cancel(false);
      unload(batches[b]);
    }
    loadedBatches.clear();
  }

  private Future<Map<ObjectId, byte[]>> load(int b) {
    Batch batch = batches[b];
    if (batch.loaded == null) {
      // the chunks still needed: all of them, unless the batch is read again after being dropped
      Set<ObjectId> ids = new LinkedHashSet<>();
      for (int ref = batch.fromRef; ref < batch.toRef; ref++) {
        if (refBatch[ref] == b && !used.get(ref)) {
          ids.add(refIds[ref]);
        }
      }
      batch.loaded = repo.readBlobsAsync(ids, MAX_RUN);
      loadedBytes += batch.bytes;
      // too much loaded (files opened far out of order, or never): drop the finished reads least
      // recently asked for; asked for again, a batch is read again
      for (Iterator<Integer> it = loadedBatches.iterator(); loadedBytes > retainedBytes && it.hasNext(); ) {
        Batch old = batches[it.next()];
        if (old.loaded.isDone()) {
          unload(old);
          it.remove();
        }
      }
    }
    loadedBatches.add(b);
    return batch.loaded;
  }

  private void readAhead(int b) {
    int running = 0;
    for (int i : loadedBatches) {
      if (i > b && !batches[i].loaded.isDone()) {
        running++;
      }
    }
    long ahead = 0;
    for (int i = b + 1; i < batches.length && running < MAX_LOADS_AHEAD; i++) {
      if (batches[i].remaining == 0) {
        continue; // given up (files kept as an earlier restore wrote them): nothing to read
      }
      ahead += batches[i].bytes;
      if (ahead > aheadBytes) {
        return;
      }
      if (batches[i].loaded == null && !batches[i].broken) {
        if (loadedBytes + batches[i].bytes > retainedBytes) {
          return; // only a batch asked for makes room by dropping others
        }
        load(i);
        running++;
      }
    }
  }

  private void unload(Batch batch) {
    batch.loaded = null; // a read in progress finishes for whoever waits on it
    loadedBytes -= batch.bytes;
  }

  /** How many batches the restore's chunks were cut into. */
  int batchCount() {
    return batches.length;
  }

  /** Content bytes of the batches loaded or being loaded now. */
  synchronized long loadedBytes() {
    return loadedBytes;
  }
}
