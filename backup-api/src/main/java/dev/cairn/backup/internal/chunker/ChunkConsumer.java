package dev.cairn.backup.internal.chunker;

import java.io.IOException;

/**
 * Receives the chunks a {@link Chunker} cuts. The bytes are lent, not given: they live in the
 * chunker's buffer and are overwritten once {@link #accept} returns, so a consumer that needs them
 * later copies them (for example {@code EncryptedRepository.addBlob} does).
 */
@FunctionalInterface
public interface ChunkConsumer {
  /**
   * Accepts one chunk, {@code buf[off, off + len)}.
   *
   * @throws IOException to abort chunking; the chunker passes it on to its caller
   */
  void accept(byte[] buf, int off, int len) throws IOException;
}
