package dev.cairn.backup.internal.prune;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import java.time.Duration;

/** Taking the lock that forget and prune need (shared for a dry run), waiting for others if allowed. */
final class Locks {
  private static final Duration POLL = Duration.ofMillis(500);

  private Locks() {}

  /**
   * Takes an exclusive (or, for a dry run, shared) lock, retrying while another process holds a
   * conflicting lock, for up to {@code wait}.
   *
   * @throws RepositoryLockedException naming the holder when the wait is over
   */
  static Lock acquire(EncryptedRepository repo, boolean exclusive, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return repo.lock(exclusive);
      } catch (RepositoryLockedException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackupException("interrupted while waiting for the repository lock", e);
      }
    }
  }
}
