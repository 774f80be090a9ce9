package dev.cairn.backup.internal.lock;

/**
 * A lock held on a repository: shared (backups; many at once) or exclusive (maintenance such as
 * prune; nothing else at once). While held it is refreshed in the background every
 * {@code lockRefreshInterval}; a lock not refreshed for {@code lockStaleAfter} counts as stale and
 * is ignored (and may be removed) by others. {@link #close()} releases it; idempotent. Thread-safe.
 */
public final class Lock implements AutoCloseable {
  private final LockManager manager;
  private volatile LockInfo info;
  private volatile boolean closed;

  Lock(LockManager manager, LockInfo info) {
    this.manager = manager;
    this.info = info;
  }

  /** The lock object as last written. */
  public LockInfo info() {
    return info;
  }

  /** True for an exclusive lock. */
  public boolean exclusive() {
    return info.exclusive();
  }

  /** True until {@link #close()}. */
  public boolean isHeld() {
    return !closed;
  }

  /**
   * Rewrites the lock with the current time (a new object, then the old one deleted). Called
   * automatically; call it by hand only around long pauses.
   *
   * @throws dev.cairn.backup.StorageException if the storage fails
   * @throws IllegalStateException if the lock was released
   */
  public synchronized void refresh() {
    if (closed) {
      throw new IllegalStateException("lock " + info.id().shortHex() + " was released");
    }
    info = manager.refresh(this, info);
  }

  /** Releases the lock (deletes its object); idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      manager.release(this, info);
    }
  }
}
