package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Chunking;
import dev.cairn.backup.Repository;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.testing.ForwardingStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two backups at once on one {@link Repository} ("one instance may run several operations at once").
 * Backup A is adding chunk X and waits for in-flight budget (uploads are slow); backup B has the same
 * content, so it references X instead of storing it. A is then cancelled (Future.cancel(true): an
 * application shutting one job down, a timeout). B must still not commit a snapshot whose data was never
 * stored.
 */
class CancelledBackupDropsSharedChunkTest {

  /** Pack uploads wait at a gate until it is opened. */
  static final class GatedPacks extends ForwardingStorage {
    final CountDownLatch open = new CountDownLatch(1);
    final Semaphore waiting = new Semaphore(0);

    GatedPacks(InMemoryStorage d) {
      super(d);
    }

    @Override
    public void put(String name, ByteBuffer content) throws IOException {
      if (name.startsWith("data/")) {
        waiting.release();
        try {
          open.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      super.put(name, content);
    }
  }

  static void file(SourceContext context, String path, byte[] content) throws IOException {
    try (OutputStream out = context.newFile(EntryMetadata.stream(path))) {
      out.write(content);
    }
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void cancellingOneBackupDoesNotLoseAChunkAnotherBackupCommitted() throws Exception {
    InMemoryStorage mem = new InMemoryStorage();
    // one chunk per file below 2 MiB
    TestRepos.builder(mem).chunking(Chunking.of(2 << 20, 4 << 20, 8 << 20)).init().close();
    GatedPacks storage = new GatedPacks(mem);
    byte[] shared = random(1 << 20, 42);
    CountDownLatch aAddsShared = new CountDownLatch(1);
    CountDownLatch bDone = new CountDownLatch(1);
    Source a = new Source() {
      @Override public String name() { return "a"; }
      @Override public String type() { return "test"; }

      @Override
      public void backup(SourceContext context) throws IOException {
        try {
          file(context, "u1", random(1 << 20, 1)); // packed, its upload waits at the gate
          file(context, "u2", random(1 << 20, 2)); // packed, its upload waits at the gate
          storage.waiting.acquire(2);
          file(context, "u3", random(1 << 20, 3)); // packed, waits for an upload slot: holds the budget
          Thread.sleep(300);
          aAddsShared.countDown();
          file(context, "shared", shared); // X: in flight, waiting for budget
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    Source b = new Source() {
      @Override public String name() { return "b"; }
      @Override public String type() { return "test"; }

      @Override
      public void backup(SourceContext context) throws IOException {
        try {
          aAddsShared.await();
          Thread.sleep(300);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        file(context, "shared", shared); // X is in flight in A: referenced, not stored
        bDone.countDown();
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Repository repo = TestRepos.builder(storage).packSize(64 * 1024).maxInFlightBytes(1 << 20).workers(2)
        .open()) {
      Future<BackupReport> fa = pool.submit(() -> repo.backup(List.of(a)));
      Future<BackupReport> fb = pool.submit(() -> repo.backup(List.of(b)));
      assertThat(bDone.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200); // B is in flush, waiting for the uploads
      fa.cancel(true); // backup A is cancelled
      Thread.sleep(300);
      storage.open.countDown();
      BackupReport rb = fb.get(60, TimeUnit.SECONDS);
      assertThat(rb.bytesNew()).as("B deduplicated X against A").isZero();
    } finally {
      pool.shutdownNow();
    }
    try (Repository reopened = TestRepos.open(mem)) {
      VerifyReport v = reopened.verify(true);
      assertThat(v.problems()).as("B's committed snapshot must be whole").isEmpty();
    }
  }
}
