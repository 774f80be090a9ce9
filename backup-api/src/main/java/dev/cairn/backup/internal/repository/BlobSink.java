package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ObjectId;

/** Receives blobs read by {@link EncryptedRepository#readBlobs}, checked against their ids. */
@FunctionalInterface
public interface BlobSink {
  /**
   * Accepts the plaintext of blob {@code id}: {@code buf[off, off+len)}, valid only during the call.
   * Called from the calling thread, once per distinct requested id, in pack order.
   */
  void accept(ObjectId id, byte[] buf, int off, int len);
}
