package dev.cairn.backup.storage.sftp;

import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.sshd.sftp.client.FullAccessSftpClient;

/**
 * The ids of requests whose answers nobody waits for: the CLOSE of a read handle, and READs that a
 * stream no longer needs once it has ended. MINA's client keeps every answer until it is asked for
 * by id, so these are asked for, without waiting, whenever the storage starts a read; answers that
 * have not arrived yet stay for the next time, and all go with the session.
 *
 * <p>Thread-safe.
 */
final class UnclaimedReplies {
  private final FullAccessSftpClient sftp;
  private final Queue<Integer> ids = new ConcurrentLinkedQueue<>();

  UnclaimedReplies(FullAccessSftpClient sftp) {
    this.sftp = sftp;
  }

  void add(int id) {
    ids.add(id);
  }

  /** Drops the answers that have arrived; all of them once the channel has closed (none will come). */
  void collect() {
    try {
      if (sftp.isOpen()) {
        for (Iterator<Integer> it = ids.iterator(); it.hasNext();) {
          if (sftp.receive(it.next(), Duration.ZERO) != null) {
            it.remove();
          }
        }
        return;
      }
    } catch (IOException | RuntimeException closing) {
      // the channel closed meanwhile
    }
    ids.clear();
  }

  /** How many answers are still expected; for tests. */
  int pending() {
    return ids.size();
  }
}
