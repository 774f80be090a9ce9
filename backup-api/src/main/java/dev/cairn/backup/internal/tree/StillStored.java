package dev.cairn.backup.internal.tree;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The check before a snapshot is committed that what it refers to is still stored. A session that
 * reused blobs it found in the index (a backup its parent's, a copy the destination's) commits a damaged
 * snapshot if a prune deleted them meanwhile: one whose lock check this session's lock did not stop (a
 * process suspended past the stale time, hosts whose clocks differ).
 */
public final class StillStored {
  private StillStored() {}

  /**
   * If the index changed since it was loaded, reloads it and checks that every tree below
   * {@code roots} and every chunk they list is still stored; does nothing when the index did not change.
   *
   * @param reused what the session reused, for the message, e.g. "reused from its parent snapshot"
   * @param session what was not committed and how to redo it, e.g. "this backup … Run the backup again"
   * @throws BackupException naming what is gone; nothing may be committed then
   */
  public static void check(EncryptedRepository repo, Collection<ObjectId> roots, String reused, String session) {
    if (!repo.refreshIndex()) {
      return;
    }
    Set<ObjectId> trees = new HashSet<>();
    Set<ObjectId> chunks = new HashSet<>();
    for (ObjectId root : roots) {
      TreeWalker.reachable(root, id -> {
        try {
          return repo.readBlob(id);
        } catch (IntegrityException e) {
          throw new BackupException("tree " + id.shortHex() + " " + reused + " was deleted meanwhile (a prune by"
              + " another process); " + session, e);
        }
      }, trees, chunks);
    }
    long missing = chunks.stream().filter(id -> !repo.hasBlob(id)).count();
    if (missing > 0) {
      throw new BackupException(missing + " chunks " + reused + " were deleted meanwhile (a prune by another"
          + " process, whose lock check this session's lock did not stop); " + session);
    }
  }
}
