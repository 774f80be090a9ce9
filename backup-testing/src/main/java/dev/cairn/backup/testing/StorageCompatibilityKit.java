package dev.cairn.backup.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Storage} must meet. A storage's test extends this class and implements
 * {@link #createStorage()}, returning an empty storage each time.
 */
public abstract class StorageCompatibilityKit {
  /** The storage under test, fresh and empty for each test. */
  protected Storage storage;

  /** Returns a new, empty storage. */
  protected abstract Storage createStorage() throws Exception;

  @BeforeEach
  void openStorage() throws Exception {
    storage = createStorage();
  }

  @AfterEach
  void closeStorage() throws Exception {
    if (storage != null) {
      storage.close();
      storage.close(); // close() must be idempotent
    }
  }

  /** Deterministic pseudo-random bytes. */
  protected static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void storesAndReadsBackAnObject() throws Exception {
    byte[] data = randomBytes(100_000, 1);
    storage.put("data/ab/abcdef", ByteBuffer.wrap(data));
    assertThat(readAll(storage.get("data/ab/abcdef"))).isEqualTo(data);
  }

  @Test
  void storesAnEmptyObject() throws Exception {
    storage.put("locks/empty", ByteBuffer.allocate(0));
    assertThat(readAll(storage.get("locks/empty"))).isEmpty();
    assertThat(storage.stat("locks/empty")).contains(new StorageObject("locks/empty", 0));
  }

  @Test
  void putReadsFromPositionToLimitAndLeavesTheBufferUntouched() throws Exception {
    ByteBuffer buf = ByteBuffer.wrap("xxhello worldyy".getBytes(StandardCharsets.US_ASCII));
    buf.position(2).limit(13);
    storage.put("config", buf);
    assertThat(buf.position()).isEqualTo(2);
    assertThat(buf.limit()).isEqualTo(13);
    assertThat(new String(readAll(storage.get("config")), StandardCharsets.US_ASCII)).isEqualTo("hello world");
  }

  @Test
  void readsByteRanges() throws Exception {
    byte[] data = randomBytes(10_000, 2);
    storage.put("data/00/range", ByteBuffer.wrap(data));
    assertThat(readAll(storage.get("data/00/range", 100, 50))).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
    assertThat(readAll(storage.get("data/00/range", 9_990, -1))).isEqualTo(java.util.Arrays.copyOfRange(data, 9_990, 10_000));
    assertThat(readAll(storage.get("data/00/range", 0, 10_000))).isEqualTo(data);
  }

  @Test
  void missingObjectIsNoSuchFile() {
    assertThatThrownBy(() -> readAll(storage.get("snapshots/missing"))).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void statReportsSizeOrEmpty() throws Exception {
    storage.put("index/one", ByteBuffer.wrap(new byte[1234]));
    assertThat(storage.stat("index/one")).contains(new StorageObject("index/one", 1234));
    assertThat(storage.stat("index/two")).isEmpty();
  }

  @Test
  void listsByPrefix() throws Exception {
    storage.put("snapshots/a1", ByteBuffer.wrap(new byte[1]));
    storage.put("snapshots/a2", ByteBuffer.wrap(new byte[2]));
    storage.put("data/a1/x", ByteBuffer.wrap(new byte[3]));
    storage.put("data/b2/y", ByteBuffer.wrap(new byte[4]));
    storage.put("config", ByteBuffer.wrap(new byte[5]));
    assertThat(storage.list("snapshots/")).containsExactlyInAnyOrder(
        new StorageObject("snapshots/a1", 1), new StorageObject("snapshots/a2", 2));
    assertThat(storage.list("data/")).extracting(StorageObject::name)
        .containsExactlyInAnyOrder("data/a1/x", "data/b2/y");
    assertThat(storage.list("data/a1/")).extracting(StorageObject::name).containsExactly("data/a1/x");
    assertThat(storage.list("")).hasSize(5);
    assertThat(storage.list("keys/")).isEmpty();
  }

  @Test
  void replacingWithIdenticalContentIsHarmless() throws Exception {
    byte[] data = randomBytes(5_000, 3);
    storage.put("data/cc/same", ByteBuffer.wrap(data));
    storage.put("data/cc/same", ByteBuffer.wrap(data));
    assertThat(readAll(storage.get("data/cc/same"))).isEqualTo(data);
    assertThat(storage.list("data/cc/")).hasSize(1);
  }

  @Test
  void deletesAndToleratesDeletingMissing() throws Exception {
    storage.put("locks/l1", ByteBuffer.wrap(new byte[10]));
    storage.delete("locks/l1");
    storage.delete("locks/l1");
    storage.delete("locks/never-existed");
    assertThat(storage.stat("locks/l1")).isEmpty();
    assertThat(storage.list("locks/")).isEmpty();
  }

  @Test
  void storesLargeObjects() throws Exception {
    byte[] data = randomBytes(20 * 1024 * 1024 + 17, 4);
    storage.put("data/ff/large", ByteBuffer.wrap(data));
    assertThat(storage.stat("data/ff/large").orElseThrow().size()).isEqualTo(data.length);
    assertThat(readAll(storage.get("data/ff/large"))).isEqualTo(data);
    assertThat(readAll(storage.get("data/ff/large", 16 * 1024 * 1024, 1024)))
        .isEqualTo(java.util.Arrays.copyOfRange(data, 16 * 1024 * 1024, 16 * 1024 * 1024 + 1024));
  }

  @Test
  void handlesConcurrentPutsAndGets() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          byte[] data = randomBytes(50_000 + n, n);
          String name = "data/" + String.format("%02x", n) + "/obj" + n;
          storage.put(name, ByteBuffer.wrap(data));
          assertThat(readAll(storage.get(name))).isEqualTo(data);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(storage.list("data/")).hasSize(32);
  }

  @Test
  void rejectsInvalidNames() {
    assertThatThrownBy(() -> storage.put("../escape", ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.put("/absolute", ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.put("a//b", ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reportsWhenAnObjectWasWritten() throws Exception {
    java.time.Instant before = java.time.Instant.now().minusSeconds(120);
    storage.put("data/dd/written", ByteBuffer.wrap(new byte[10]));
    // prune relies on this to leave packs of running backups alone
    assertThat(storage.modified("data/dd/written")).hasValueSatisfying(t ->
        assertThat(t).isBetween(before, java.time.Instant.now().plusSeconds(120)));
    assertThat(storage.modified("data/dd/missing")).isEmpty();
  }

  @Test
  void locationNamesTheStorage() {
    assertThat(storage.location()).isNotBlank();
  }

  @Test
  void readsAreTakenConcurrentlyAsTheStorageSays() throws Exception {
    int parallel = storage.parallelReads();
    assertThat(parallel).isBetween(1, 64);
    for (int i = 0; i < 16; i++) {
      storage.put("index/par" + i, ByteBuffer.wrap(randomBytes(1000, i)));
    }
    // as the engine reads index files: that many gets at once, all answered in full
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<byte[]>> reads = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String name = "index/par" + i;
        reads.add(pool.submit(() -> {
          try (InputStream in = storage.get(name)) {
            return in.readAllBytes();
          }
        }));
      }
      for (int i = 0; i < 16; i++) {
        assertThat(reads.get(i).get()).isEqualTo(randomBytes(1000, i));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
