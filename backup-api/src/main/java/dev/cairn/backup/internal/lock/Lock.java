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
  /** {@link System#nanoTime()} of the last successful write of the lock object. */
  private volatile long writtenNanos = System.nanoTime();
  /** Set once the lock went unwritten for long enough that another process may have taken it for stale. */
  private volatile boolean lapsed;

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
    noteLapse();
    info = manager.refresh(this, info);
    writtenNanos = System.nanoTime();
  }

  /**
   * Throws unless the lock has been written often enough all along that no other process can have
   * taken it for stale (the process suspended, the storage unreachable for a long while): then a prune
   * may have run meanwhile, and what this operation is about to commit may refer to deleted data.
   * Operations call it right before their commit point (writing a snapshot). The threshold is half the
   * stale time, for clocks that differ between hosts, and at least two refresh intervals.
   *
   * @throws dev.cairn.backup.BackupException naming how long the lock went unwritten
   */
  public void checkHeld() {
    noteLapse();
    if (lapsed) {
      throw new dev.cairn.backup.BackupException("this operation's lock was not renewed for more than "
          + manager.lapseAfter().toMinutes() + " minutes (the process was suspended, or storage"
          + " could not be written): another process may have taken it for stale and pruned meanwhile, so nothing"
          + " was committed. Run it again");
    }
  }

  private void noteLapse() {
    if (System.nanoTime() - writtenNanos > manager.lapseAfter().toNanos()) {
      lapsed = true;
    }
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
