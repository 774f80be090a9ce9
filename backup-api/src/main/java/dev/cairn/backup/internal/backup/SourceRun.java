package dev.cairn.backup.internal.backup;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.chunker.ChunkConsumer;
import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeBuilder;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Verification;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link SourceContext} of one source in a backup. Thread-safe: every method may be called from
 * several threads; each open file stream belongs to one thread. File content is cut by the
 * repository's chunker as it is written, hashed, and handed to the repository, which compresses,
 * encrypts and packs it on its worker pool: no entry is ever held whole in memory.
 */
final class SourceRun implements SourceContext {
  private final BackupRun run;
  private final EncryptedRepository repo;
  private final Source source;
  private final ParentTree parent; // null: no parent snapshot
  private final Map<String, Verification> parentVerifications = new LinkedHashMap<>();
  private final TreeBuilder tree;
  private final Map<String, String> metadata = Collections.synchronizedMap(new TreeMap<>());
  private final Map<String, Verification> verifications = new ConcurrentHashMap<>();
  private final AtomicLong entries = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  SourceRun(BackupRun run, Source source, ParentTree parent, Optional<SnapshotSource> parentSource) {
    this.run = run;
    this.tree = new TreeBuilder(run::storeTree);
    this.repo = run.repo();
    this.source = source;
    this.parent = parent;
    parentSource.ifPresent(p -> p.verifications().forEach(v -> parentVerifications.put(v.item(), v)));
  }

  SnapshotSource finish() {
    ObjectId root = tree.build();
    List<Verification> vs = new ArrayList<>(new TreeMap<>(verifications).values());
    return new SnapshotSource(source.name(), source.type(), root, Map.copyOf(metadata), vs, entries.get(), bytes.get());
  }

  @Override
  public OutputStream newFile(EntryMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    if (metadata.type() != EntryType.FILE) {
      throw new IllegalArgumentException("newFile needs a FILE entry, got " + metadata.type() + " for " + metadata.path());
    }
    if (tree.contains(metadata.path())) {
      throw new IllegalStateException("entry '" + metadata.path() + "' was added twice; paths must be unique in a source");
    }
    return new FileStream(metadata);
  }

  @Override
  public void addDirectory(EntryMetadata metadata) {
    if (metadata.type() != EntryType.DIRECTORY) {
      throw new IllegalArgumentException("addDirectory needs a DIRECTORY entry: " + metadata.path());
    }
    tree.add(metadata, 0, null, List.of());
    entries.incrementAndGet();
  }

  @Override
  public void addSymlink(EntryMetadata metadata, String target) {
    if (metadata.type() != EntryType.SYMLINK) {
      throw new IllegalArgumentException("addSymlink needs a SYMLINK entry: " + metadata.path());
    }
    tree.add(metadata, 0, Objects.requireNonNull(target, "target"), List.of());
    entries.incrementAndGet();
  }

  @Override
  public void directoryComplete(String path) {
    tree.complete(Objects.requireNonNull(path, "path"));
    if (parent != null) {
      parent.release(path);
    }
  }

  @Override
  public Optional<EntryMetadata> parentEntry(String path) {
    Node n = parent == null ? null : parent.get(path);
    if (n == null) {
      return Optional.empty();
    }
    if (n.type() == EntryType.FILE) {
      for (ObjectId id : n.content()) {
        if (!repo.hasBlob(id)) {
          return Optional.empty(); // data gone (pruned or lost): the source must read it again
        }
      }
    }
    return Optional.of(n.toEntry(path));
  }

  @Override
  public void reuseParentEntry(EntryMetadata metadata) {
    Node n = parent == null ? null : parent.get(metadata.path());
    if (n == null || n.type() != EntryType.FILE) {
      throw new IllegalStateException("the parent snapshot of source '" + source.name() + "' has no file at '"
          + metadata.path() + "'");
    }
    tree.add(metadata, n.size(), null, n.content());
    entries.incrementAndGet();
    bytes.addAndGet(n.size());
    run.files.incrementAndGet();
    run.bytesTotal.addAndGet(n.size());
    run.progress.bytes(n.size(), metadata.path());
    run.progress.file(metadata.path());
  }

  @Override
  public Optional<Verification> parentVerification(String item) {
    return Optional.ofNullable(parentVerifications.get(item));
  }

  @Override
  public void putMetadata(String key, String value) {
    metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
  }

  @Override
  public void addVerification(Verification verification) {
    verifications.put(verification.item(), verification);
  }

  @Override
  public void warn(String path, String message) {
    run.warnings.add(source.name() + ":" + path + ": " + message);
  }

  /** Chunks what is written; closing commits the entry. */
  private final class FileStream extends OutputStream implements ChunkConsumer {
    private final EntryMetadata meta;
    private final List<ObjectId> chunks = new ArrayList<>();
    private Chunker chunker;
    private long size;
    private boolean closed;
    private boolean failed; // a write threw: the entry is incomplete and is not recorded

    FileStream(EntryMetadata meta) {
      this.meta = meta;
      this.chunker = run.borrowChunker();
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("entry '" + meta.path() + "' is already closed");
      }
      try {
        chunker.write(b, off, len, this);
      } catch (IOException | RuntimeException | Error e) {
        failed = true;
        throw e;
      }
      size += len;
      run.bytesRead.addAndGet(len);
      run.progress.bytes(len, meta.path());
    }

    @Override
    public void accept(byte[] buf, int off, int len) {
      ObjectId id = repo.chunkId(buf, off, len);
      if (run.addData(id, buf, off, len)) {
        run.countNew(len);
      }
      chunks.add(id);
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (failed) {
          // the failure was thrown by the write; finishing would add the rest of a file that is not
          // whole, and throw the repository's stored failure again (in try-with-resources, as the
          // write's own failure: "Self-suppression not permitted" instead of, say, a full disk)
          return;
        }
        chunker.finish(this);
      } finally {
        run.returnChunker(chunker);
        chunker = null;
      }
      tree.add(new EntryMetadata(meta.path(), EntryType.FILE, size, meta.modifiedTime(), meta.mode(), meta.inode(),
          meta.attributes()), size, null, chunks);
      entries.incrementAndGet();
      bytes.addAndGet(size);
      run.files.incrementAndGet();
      run.bytesTotal.addAndGet(size);
      run.progress.file(meta.path());
    }
  }
}
