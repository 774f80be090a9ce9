package dev.cairn.backup.internal.restore;

import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** Damages stored blobs for restore tests. */
final class Damage {
  private Damage() {}

  /** Flips one bit in the middle of the blob at {@code loc}, in the pack {@code storage} holds. */
  static void flipBitIn(InMemoryStorage storage, BlobLocation loc) throws IOException {
    String pack = storage.list("data/").stream().map(o -> o.name()).filter(n -> n.contains(loc.pack().hex()))
        .findFirst().orElseThrow();
    byte[] bytes;
    try (InputStream in = storage.get(pack)) {
      bytes = in.readAllBytes();
    }
    bytes[(int) loc.offset() + loc.length() / 2] ^= 1;
    storage.put(pack, ByteBuffer.wrap(bytes));
  }
}
