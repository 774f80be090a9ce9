package dev.cairn.backup.internal.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.testing.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * flush() promises: "after it returns, the blobs may be referenced from a snapshot". A blob that
 * addBlob/hasBlob reported present (because another thread of the same session has it in flight)
 * must therefore be stored and indexed once a later flush() returns.
 */
class FlushRaceTest {
  static final Secret PASS = Secret.of("pw");

  static RepositoryOptions options() {
    return RepositoryOptions.builder()
        .argon2(new Argon2Parameters(1024, 1, 1))
        .chunker(new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024))
        .packSize(64 * 1024)
        .maxInFlightBlobBytes(1 << 20)
        .workers(2)
        .hostname("test-host")
        .build();
  }

  @Test
  void blobReportedPresentIsDurableAfterFlush() throws Exception {
    InMemoryStorage mem = new InMemoryStorage();
    EncryptedRepository.init(mem, PASS, options()).close();
    int n = 200;
    try (EncryptedRepository repo = EncryptedRepository.open(mem, PASS, options())) {
      java.util.concurrent.SynchronousQueue<Integer> handoff = new java.util.concurrent.SynchronousQueue<>();
      List<byte[]> blobs = new ArrayList<>();
      List<ObjectId> ids = new ArrayList<>();
      Random r = new Random(1);
      for (int i = 0; i < n; i++) {
        byte[] b = new byte[1 << 20];
        r.nextBytes(b);
        blobs.add(b);
        ids.add(repo.chunkId(b, 0, b.length));
      }
      AtomicReference<Throwable> adderFailure = new AtomicReference<>();
      // another thread of the same session (another backup, a copy) adding blobs
      Thread adder = new Thread(() -> {
        try {
          for (int i = 0; i < n; i++) {
            int k = handoff.take();
            repo.addBlob(BlobType.DATA, ids.get(k), blobs.get(k), 0, blobs.get(k).length);
          }
        } catch (Throwable t) {
          adderFailure.set(t);
        }
      });
      adder.start();
      List<Integer> notDurable = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ObjectId id = ids.get(i);
        handoff.put(i);
        while (!repo.hasBlob(id)) {
          Thread.onSpinWait();
        }
        // "I have it": a backup references it instead of storing it
        assertThat(repo.addBlob(BlobType.DATA, id, blobs.get(i), 0, blobs.get(i).length)).isFalse();
        repo.flush(); // "after it returns, the blobs may be referenced from a snapshot"
        if (repo.lookup(id).isEmpty()) {
          notDurable.add(i);
        }
      }
      adder.join();
      repo.flush();
      assertThat(adderFailure.get()).isNull();
      assertThat(notDurable).as("blobs not stored when flush() returned, of %d", n).isEmpty();
    }
  }
}
