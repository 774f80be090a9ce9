package dev.cairn.backup.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.InMemoryStorage;
import dev.cairn.backup.testing.StorageCompatibilityKit;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Rate limits checked on a simulated clock: the sleeps are what the link would take, no real waiting. */
class RateLimitedStorageTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AtomicLong slept = new AtomicLong();
  final InMemoryStorage memory = new InMemoryStorage();

  /** The decorator keeps the storage contract. */
  @Nested
  class Contract extends StorageCompatibilityKit {
    @Override
    protected Storage createStorage() {
      return Storages.rateLimited(new InMemoryStorage(), 0, 0);
    }
  }

  private RateLimitedStorage limited(long up, long down) {
    return new RateLimitedStorage(memory, up, down, now::get, d -> {
      slept.addAndGet(d.toNanos());
      now.addAndGet(d.toNanos());
    });
  }

  @Test
  void uploadsAverageTheConfiguredRate() throws Exception {
    RateLimitedStorage s = limited(1_000_000, 0);
    for (int i = 0; i < 10; i++) {
      s.put("data/00/p" + i, ByteBuffer.wrap(new byte[1_000_000]));
    }
    // 10 MB at 1 MB/s: the first object goes at once, each later one waits for the one before
    assertThat(Duration.ofNanos(slept.get())).isEqualTo(Duration.ofSeconds(9));
    assertThat(memory.totalBytes()).isEqualTo(10_000_000);
  }

  @Test
  void idleTimeBuildsNoBurstCredit() throws Exception {
    RateLimitedStorage s = limited(1_000_000, 0);
    s.put("a", ByteBuffer.wrap(new byte[1_000_000]));
    now.addAndGet(Duration.ofMinutes(5).toNanos());
    s.put("b", ByteBuffer.wrap(new byte[1_000_000]));
    s.put("c", ByteBuffer.wrap(new byte[1_000_000]));
    assertThat(Duration.ofNanos(slept.get())).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void downloadsArePacedAsTheyAreRead() throws Exception {
    memory.put("data/00/big", ByteBuffer.wrap(new byte[4_000_000]));
    RateLimitedStorage s = limited(0, 2_000_000);
    try (InputStream in = s.get("data/00/big")) {
      assertThat(in.readAllBytes()).hasSize(4_000_000);
    }
    // 4 MB at 2 MB/s, paid in 64 KiB slices: all but the last slice's time is waited for
    long slice = 64 * 1024;
    long lastSliceNanos = (4_000_000 % slice) * 500;
    assertThat(slept.get()).isEqualTo(2_000_000_000L - lastSliceNanos);
  }

  @Test
  void zeroMeansUnlimited() throws Exception {
    RateLimitedStorage s = limited(0, 0);
    s.put("x", ByteBuffer.wrap(new byte[5_000_000]));
    try (InputStream in = s.get("x")) {
      in.readAllBytes();
    }
    assertThat(slept.get()).isZero();
  }
}
