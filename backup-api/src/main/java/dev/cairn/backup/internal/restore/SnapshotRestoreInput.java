package dev.cairn.backup.internal.restore;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.backup.ProgressTracker;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.source.Glob;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeWalker;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * One source of a snapshot as a {@link RestoreInput}: the entries from its trees (optionally only
 * chosen paths, with their parent directories), and file contents streamed chunk by chunk, each chunk
 * checked against its id by the repository. Thread-safe.
 */
public final class SnapshotRestoreInput implements RestoreInput {
  private final EncryptedRepository repo;
  private final Snapshot snapshot;
  private final SnapshotSource source;
  private final Map<String, Node> nodes;
  private final List<EntryMetadata> entries;
  /** The paths chosen (empty: all) and the globs left out: what a recorded item outside them is. */
  private final List<String> paths;
  private final List<Glob> excludeGlobs;
  private final Executor prefetch;
  private final ProgressTracker progress;
  private volatile ChunkBatches batches; // null: chunk by chunk, each with its own read

  /**
   * Reads the trees of {@code source} in {@code snapshot}, keeping only {@code paths} (each with
   * everything under it and its parent directories; empty for all).
   *
   * @param prefetch runs the read-ahead of the next chunk of a file while the current one is written
   * @throws RestoreException if a chosen path is not in the snapshot
   */
  public SnapshotRestoreInput(EncryptedRepository repo, Snapshot snapshot, SnapshotSource source, List<String> paths,
      Executor prefetch, ProgressTracker progress) {
    this(repo, snapshot, source, paths, List.of(), prefetch, progress);
  }

  /**
   * Like {@link #SnapshotRestoreInput(EncryptedRepository, Snapshot, SnapshotSource, List, Executor,
   * ProgressTracker)}, leaving out entries matching one of the {@code excludes} globs and everything
   * under them.
   */
  public SnapshotRestoreInput(EncryptedRepository repo, Snapshot snapshot, SnapshotSource source, List<String> paths,
      List<String> excludes, Executor prefetch, ProgressTracker progress) {
    this.repo = repo;
    this.snapshot = snapshot;
    this.source = source;
    this.prefetch = prefetch;
    this.progress = progress;
    this.paths = List.copyOf(paths);
    this.excludeGlobs = Glob.compileAll(excludes);
    // chosen paths: only the trees down to them and below them are read
    Map<String, Node> all = paths.isEmpty() ? TreeWalker.flatten(source.tree(), repo::readBlobsById)
        : TreeWalker.flattenPaths(source.tree(), paths, repo::readBlobsById);
    Map<String, Node> kept;
    if (paths.isEmpty()) {
      kept = all; // in path order already; a copy would hold every entry twice
    } else {
      kept = new LinkedHashMap<>();
      for (String p : paths) {
        if (!all.containsKey(p)) {
          throw new RestoreException("path '" + p + "' is not in source '" + source.name() + "' of snapshot "
              + snapshot.id().shortHex() + "; list the snapshot's paths with 'cairn ls'");
        }
      }
      for (Map.Entry<String, Node> e : all.entrySet()) {
        String path = e.getKey();
        for (String p : paths) {
          if (path.equals(p) || path.startsWith(p + "/") || (p.startsWith(path + "/") && e.getValue().type() == EntryType.DIRECTORY)) {
            kept.put(path, e.getValue());
            break;
          }
        }
      }
    }
    if (!excludeGlobs.isEmpty()) {
      kept.keySet().removeIf(this::excluded);
    }
    this.nodes = kept;
    this.entries = new EntryList(kept.keySet().toArray(new String[0]), kept.values().toArray(new Node[0]));
  }

  /**
   * The entries, made from the nodes as they are asked for: a list of their own would hold every
   * entry's metadata a second time (a restore of many files holds the source's nodes already).
   */
  private static final class EntryList extends AbstractList<EntryMetadata> implements RandomAccess {
    private final String[] paths;
    private final Node[] nodes;

    EntryList(String[] paths, Node[] nodes) {
      this.paths = paths;
      this.nodes = nodes;
    }

    @Override
    public EntryMetadata get(int index) {
      return nodes[index].toEntry(paths[index]);
    }

    @Override
    public int size() {
      return paths.length;
    }
  }

  /** Whether an exclude glob matches {@code path} or a directory above it. */
  private boolean excluded(String path) {
    if (Glob.any(excludeGlobs, path)) {
      return true;
    }
    for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
      if (Glob.any(excludeGlobs, path.substring(0, i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads file contents in batches (a few ranged reads for many small files) when the storage has a
   * round trip per read ({@link dev.cairn.backup.spi.Storage#parallelReads()} above 1). Only for a
   * restorer that opens every file, in the order of {@link #entries()}, a few at a time, as
   * {@link dev.cairn.backup.DirectoryRestorer} does: batches are read ahead in that order. Call before
   * the restore starts.
   */
  public synchronized void readInListOrder() {
    if (batches != null || repo.storage().parallelReads() <= 1) {
      return;
    }
    LinkedHashMap<String, List<ObjectId>> files = new LinkedHashMap<>();
    nodes.forEach((path, node) -> {
      if (node.type() == EntryType.FILE) {
        files.put(path, node.content());
      }
    });
    batches = new ChunkBatches(repo, files);
  }

  /**
   * Ends the restore of this input: stops reading ahead, and drops what was read ahead. Files opened
   * afterwards are read chunk by chunk.
   */
  public void release() {
    ChunkBatches b = batches;
    if (b != null) {
      b.close();
    }
  }

  /** Content bytes of the selected file entries. */
  public long bytes() {
    return nodes.values().stream().filter(n -> n.type() == EntryType.FILE).mapToLong(Node::size).sum();
  }

  @Override
  public String snapshotId() {
    return snapshot.id().hex();
  }

  @Override
  public Instant snapshotTime() {
    return snapshot.time();
  }

  @Override
  public String sourceName() {
    return source.name();
  }

  @Override
  public String sourceType() {
    return source.type();
  }

  @Override
  public Map<String, String> metadata() {
    return source.metadata();
  }

  @Override
  public List<EntryMetadata> entries() {
    return entries;
  }

  @Override
  public String symlinkTarget(String path) throws IOException {
    Node n = nodes.get(path);
    if (n == null || n.type() != EntryType.SYMLINK) {
      throw new NoSuchFileException(path, null, "no symlink at this path in the snapshot");
    }
    return n.linkTarget();
  }

  @Override
  public InputStream open(String path) throws IOException {
    Node n = nodes.get(path);
    if (n == null || n.type() != EntryType.FILE) {
      throw new NoSuchFileException(path, null, "no file at this path in the snapshot");
    }
    ChunkBatches b = batches;
    return new ChunkStream(path, n.content(), b, b == null ? -1 : b.open(path));
  }

  @Override
  public boolean holdsContent(String path, InputStream existing) throws IOException {
    Node n = nodes.get(path);
    if (n == null || n.type() != EntryType.FILE) {
      throw new NoSuchFileException(path, null, "no file at this path in the snapshot");
    }
    List<ObjectId> ids = n.content();
    int[] lengths = new int[ids.size()];
    int longest = 0;
    for (int i = 0; i < lengths.length; i++) {
      Optional<BlobLocation> loc = repo.lookup(ids.get(i));
      if (loc.isEmpty()) {
        return false; // not indexed: the restore reads it, and fails with the repository's own message
      }
      lengths[i] = loc.get().uncompressedLength();
      longest = Math.max(longest, lengths[i]);
    }
    byte[] buf = new byte[longest];
    long total = 0;
    for (int i = 0; i < lengths.length; i++) {
      if (existing.readNBytes(buf, 0, lengths[i]) != lengths[i]
          || !repo.chunkId(buf, 0, lengths[i]).equals(ids.get(i))) {
        return false;
      }
      total += lengths[i];
    }
    if (existing.read() != -1) {
      return false;
    }
    ChunkBatches b = batches;
    int first = b == null ? -1 : b.open(path);
    if (first >= 0) {
      b.giveUp(first, first + ids.size());
    }
    if (progress != null) {
      progress.bytes(total, path);
      progress.file(path);
    }
    return true;
  }

  @Override
  public List<Verification> verifications() {
    if (paths.isEmpty() && excludeGlobs.isEmpty()) {
      return source.verifications();
    }
    // a file's recorded SHA-256 (stream sources) belongs to what is restored only if its path was chosen: a
    // restorer reports one without its file as missing (left out by 'repair snapshots'), not one left out here
    List<Verification> out = new ArrayList<>();
    for (Verification v : source.verifications()) {
      if (!"sha256".equals(v.attributes().get("algorithm")) || chosen(v.item())) {
        out.add(v);
      }
    }
    return out;
  }

  /** Whether {@code path} is among what the paths and excludes of this restore select, stored or not. */
  private boolean chosen(String path) {
    boolean inPaths = paths.isEmpty() || paths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    return inPaths && (excludeGlobs.isEmpty() || !excluded(path));
  }

  /**
   * Streams a file's chunks: from {@link ChunkBatches} when there are batches, or else reading the next
   * chunk ahead while the current one is consumed. The first chunk is read on the calling thread: it
   * would only wait for it, and most files have one chunk.
   */
  private final class ChunkStream extends InputStream {
    private final String path;
    private final List<ObjectId> ids;
    private final ChunkBatches batches;
    private final int firstRef; // -1: not from batches
    private int next;
    private boolean failed;
    private byte[] current = new byte[0];
    private int pos;
    private CompletableFuture<byte[]> ahead;

    ChunkStream(String path, List<ObjectId> ids, ChunkBatches batches, int firstRef) {
      this.path = path;
      this.ids = ids;
      this.batches = batches;
      this.firstRef = firstRef;
    }

    private CompletableFuture<byte[]> fetch() {
      if (next >= ids.size() || firstRef >= 0) {
        return null;
      }
      ObjectId id = ids.get(next++);
      return CompletableFuture.supplyAsync(() -> repo.readBlob(id), prefetch);
    }

    private boolean fill() throws IOException {
      while (pos >= current.length) {
        if (failed) {
          // its chunk's reference is used up: reading on would skip that chunk
          throw new IOException("reading " + path + " failed before; open it again to read it");
        }
        if (firstRef >= 0) {
          if (next >= ids.size()) {
            return false;
          }
          int k = next++; // used up even if reading it fails: never given up twice
          try {
            current = batches.take(firstRef + k, ids.get(k));
          } catch (IOException | RuntimeException | Error e) {
            failed = true;
            throw e;
          }
          pos = 0;
          continue;
        }
        if (ahead == null) {
          if (next >= ids.size()) {
            return false;
          }
          current = repo.readBlob(ids.get(next)); // nothing read ahead yet: the first chunk
          next++;
          pos = 0;
          ahead = fetch();
          continue;
        }
        try {
          current = ahead.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while reading " + path, e);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IOException("reading " + path + " failed: " + e.getCause(), e.getCause());
        }
        pos = 0;
        ahead = fetch();
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      if (progress != null) {
        progress.bytes(n, path);
      }
      return n;
    }

    /** Writes whole chunks to {@code out}, without copying them through a small buffer first. */
    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
      long n = 0;
      while (fill()) {
        int len = current.length - pos;
        out.write(current, pos, len);
        pos += len;
        n += len;
        if (progress != null) {
          progress.bytes(len, path);
        }
      }
      return n;
    }

    @Override
    public void close() {
      if (progress != null && ahead == null && next >= ids.size() && !failed) {
        progress.file(path);
      }
      if (firstRef >= 0 && next < ids.size()) {
        batches.giveUp(firstRef + next, firstRef + ids.size());
      }
      if (ahead != null) {
        ahead.cancel(false);
        ahead = null;
      }
      next = ids.size();
    }
  }
}
