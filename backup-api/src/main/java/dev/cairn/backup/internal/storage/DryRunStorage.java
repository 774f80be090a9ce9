package dev.cairn.backup.internal.storage;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A storage that reads from another and writes nothing to it, for a backup's dry run: metadata written
 * (locks, index files, the snapshot) is kept in memory, so the run sees it as written, and may read it
 * back (an index refresh does); packs ({@code data/}) are counted and dropped, as nothing reads a pack
 * back while it writes, so memory stays at the metadata's size. Deletes only hide objects from this
 * view. Thread-safe.
 */
public final class DryRunStorage implements Storage {
  private final Storage delegate;
  private final ConcurrentSkipListMap<String, byte[]> kept = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, Long> dropped = new ConcurrentSkipListMap<>();
  private final java.util.Set<String> deleted = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong bytesWritten = new AtomicLong();

  /** A dry-run view of {@code delegate} (which it closes when closed). */
  public DryRunStorage(Storage delegate) {
    this.delegate = delegate;
  }

  /** Bytes the run would have written to storage. */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public int parallelReads() {
    return delegate.parallelReads();
  }

  @Override
  public void put(String name, ByteBuffer content) {
    int n = content.remaining();
    bytesWritten.addAndGet(n);
    deleted.remove(name);
    if (!name.startsWith("data/")) {
      byte[] b = new byte[n];
      content.duplicate().get(b);
      kept.put(name, b);
    } else {
      dropped.put(name, (long) n);
    }
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    byte[] b = kept.get(name);
    if (b != null) {
      int from = (int) Math.min(offset, b.length);
      int len = length < 0 ? b.length - from : (int) Math.min(length, b.length - from);
      return new ByteArrayInputStream(b, from, len);
    }
    if (dropped.containsKey(name)) {
      throw new IOException("dry run: " + name + " was not written, so it cannot be read back");
    }
    if (deleted.contains(name)) {
      throw new NoSuchFileException(name);
    }
    return delegate.get(name, offset, length);
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    Map<String, Long> all = new TreeMap<>();
    for (StorageObject o : delegate.list(prefix)) {
      if (!deleted.contains(o.name())) {
        all.put(o.name(), o.size());
      }
    }
    kept.tailMap(prefix).forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        all.put(k, (long) v.length);
      }
    });
    dropped.tailMap(prefix).forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        all.put(k, v);
      }
    });
    List<StorageObject> out = new ArrayList<>();
    all.forEach((k, v) -> out.add(new StorageObject(k, v)));
    return out;
  }

  @Override
  public void delete(String name) {
    kept.remove(name);
    dropped.remove(name);
    deleted.add(name);
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    byte[] b = kept.get(name);
    if (b != null) {
      return Optional.of(new StorageObject(name, b.length));
    }
    Long size = dropped.get(name);
    if (size != null) {
      return Optional.of(new StorageObject(name, size));
    }
    return deleted.contains(name) ? Optional.empty() : delegate.stat(name);
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    return kept.containsKey(name) || dropped.containsKey(name) ? Optional.of(Instant.now()) : delegate.modified(name);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
