package dev.cairn.backup.testing;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A storage that passes every call to another, for tests that change one or two calls by overriding
 * them (a read that is slow, garbled or ends early, a listing that misses an object, counting reads).
 * Everything not overridden, {@link #parallelReads()} included, is the wrapped storage's.
 */
public class ForwardingStorage implements Storage {
  /** The storage every call goes to. */
  protected final Storage delegate;

  /** Forwards every call to {@code delegate}. */
  public ForwardingStorage(Storage delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    delegate.put(name, content);
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    return delegate.get(name, offset, length);
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    return delegate.stat(name);
  }

  @Override
  public int removeLeftovers(java.time.Instant before) throws IOException {
    return delegate.removeLeftovers(before);
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    return delegate.modified(name);
  }

  @Override
  public int parallelReads() {
    return delegate.parallelReads();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
