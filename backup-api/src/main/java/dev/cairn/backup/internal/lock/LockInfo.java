package dev.cairn.backup.internal.lock;

import dev.cairn.backup.ObjectId;
import java.time.Instant;

/**
 * A lock object as stored in the repository.
 *
 * @param id the lock object's id ({@code locks/<id>})
 * @param host host name of the holder
 * @param pid process id of the holder
 * @param user user name of the holder
 * @param time when the holder last wrote (refreshed) it
 * @param exclusive exclusive (maintenance) or shared (backup)
 * @param stale whether it is older than the stale timeout, so it no longer counts
 */
public record LockInfo(ObjectId id, String host, long pid, String user, Instant time, boolean exclusive, boolean stale) {
  /** Describes the holder for messages: "exclusive lock held by user@host (pid 123) since …". */
  public String describe() {
    return (exclusive ? "exclusive" : "shared") + " lock " + id.shortHex() + " held by " + user + "@" + host
        + " (pid " + pid + "), last refreshed " + time + (stale ? " (stale)" : "");
  }
}
