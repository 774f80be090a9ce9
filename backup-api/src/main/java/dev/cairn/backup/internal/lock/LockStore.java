package dev.cairn.backup.internal.lock;

import dev.cairn.backup.ObjectId;
import java.util.List;

/** Where a {@link LockManager} keeps lock objects: the repository's encrypted {@code locks/} objects. */
public interface LockStore {
  /** Encrypts and writes a lock object, returning its id. */
  ObjectId save(byte[] json);

  /** Reads and decrypts a lock object; throws {@link dev.cairn.backup.IntegrityException} if damaged. */
  byte[] load(ObjectId id);

  /** Lists lock object ids. */
  List<ObjectId> list();

  /** Deletes a lock object (absent is fine). */
  void delete(ObjectId id);
}
