package dev.cairn.backup.testing;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageNames;
import dev.cairn.backup.spi.StorageObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A storage held in memory, for tests. Thread-safe. */
public final class InMemoryStorage implements Storage {
  private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Instant> written = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public String location() {
    return "memory:" + Integer.toHexString(System.identityHashCode(this));
  }

  /** One, like a local disk. */
  @Override
  public int parallelReads() {
    return 1;
  }

  @Override
  public void put(String name, ByteBuffer content) {
    ByteBuffer src = content.duplicate();
    byte[] bytes = new byte[src.remaining()];
    src.get(bytes);
    objects.put(StorageNames.check(name), bytes);
    written.put(name, Instant.now());
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    byte[] bytes = objects.get(StorageNames.check(name));
    if (bytes == null) {
      throw new NoSuchFileException(name);
    }
    int from = (int) Math.min(offset, bytes.length);
    int len = length < 0 ? bytes.length - from : (int) Math.min(length, bytes.length - from);
    return new ByteArrayInputStream(bytes, from, len);
  }

  @Override
  public List<StorageObject> list(String prefix) {
    StorageNames.checkPrefix(prefix);
    return objects.tailMap(prefix).entrySet().stream()
        .takeWhile(e -> e.getKey().startsWith(prefix))
        .map(e -> new StorageObject(e.getKey(), e.getValue().length))
        .toList();
  }

  @Override
  public void delete(String name) {
    objects.remove(StorageNames.check(name));
    written.remove(name);
  }

  @Override
  public Optional<StorageObject> stat(String name) {
    byte[] bytes = objects.get(StorageNames.check(name));
    return bytes == null ? Optional.empty() : Optional.of(new StorageObject(name, bytes.length));
  }

  @Override
  public Optional<Instant> modified(String name) {
    return objects.containsKey(StorageNames.check(name)) ? Optional.ofNullable(written.get(name)) : Optional.empty();
  }

  /** Direct access for fault-injection tests: the stored bytes (a live array), or null. */
  public byte[] raw(String name) {
    return objects.get(name);
  }

  /** Total bytes stored. */
  public long totalBytes() {
    return objects.values().stream().mapToLong(b -> b.length).sum();
  }

  @Override
  public void close() {}
}
