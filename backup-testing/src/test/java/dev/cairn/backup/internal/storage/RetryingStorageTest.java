package dev.cairn.backup.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.StorageException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import dev.cairn.backup.testing.StorageCompatibilityKit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RetryingStorageTest {
  final InMemoryStorage memory = new InMemoryStorage();
  final FaultyStorage faulty = new FaultyStorage(memory);
  final List<Duration> sleeps = new ArrayList<>();
  final RetryingStorage storage =
      new RetryingStorage(faulty, 5, Duration.ofMillis(100), Duration.ofSeconds(1), sleeps::add, () -> 0.5);

  /** The decorator keeps the storage contract. */
  @Nested
  class Contract extends StorageCompatibilityKit {
    @Override
    protected Storage createStorage() {
      return Storages.retrying(new InMemoryStorage(), 3);
    }
  }

  @Test
  void retriesTransientFailuresWithGrowingBackoff() throws Exception {
    faulty.failNext(Operation.PUT, 4);
    storage.put("data/aa/x", ByteBuffer.wrap(new byte[] {1, 2}));
    assertThat(memory.raw("data/aa/x")).containsExactly(1, 2);
    assertThat(faulty.calls(Operation.PUT)).isEqualTo(5);
    // jitter fixed at 0.5: each wait is 3/4 of min(1 s, 100 ms * 2^(n-1))
    assertThat(sleeps).containsExactly(Duration.ofMillis(75), Duration.ofMillis(150), Duration.ofMillis(300),
        Duration.ofMillis(600));
  }

  @Test
  void backoffStaysWithinItsBoundsWhateverTheJitter() {
    RetryingStorage low = new RetryingStorage(memory, 10, Duration.ofMillis(100), Duration.ofSeconds(1), d -> {}, () -> 0.0);
    RetryingStorage high = new RetryingStorage(memory, 10, Duration.ofMillis(100), Duration.ofSeconds(1), d -> {}, () -> 0.999);
    assertThat(low.backoff(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(high.backoff(1)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(high.backoff(9)).isBetween(Duration.ofMillis(999), Duration.ofSeconds(1));
    assertThat(low.backoff(60)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void onceWorkingFailsAtOnceUntilAnOperationHasSucceededAndRetriesAfter() throws Exception {
    RetryingStorage once = new RetryingStorage(faulty, 5, Duration.ofMillis(100), Duration.ofSeconds(1), sleeps::add,
        () -> 0.5, false);
    faulty.failNext(Operation.STAT, 1);
    // a server that cannot be reached when the command starts: reported at once, not after half a minute
    assertThatThrownBy(() -> once.stat("config"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isFalse())
        .hasMessageContaining("stat 'config'").hasMessageContaining("after 1 attempt");
    assertThat(sleeps).isEmpty();
    assertThatThrownBy(() -> once.get("config")).isInstanceOf(NoSuchFileException.class); // an answer: it works
    faulty.failNext(Operation.PUT, 2);
    once.put("data/aa/x", ByteBuffer.wrap(new byte[] {3}));
    assertThat(memory.raw("data/aa/x")).containsExactly(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void retryingARetryingStorageReplacesItsAttemptsInsteadOfMultiplyingThem() {
    Storage twice = Storages.retrying(Storages.retrying(faulty, 8), 2, Duration.ZERO, Duration.ZERO);
    faulty.failNext(Operation.STAT, 10);
    assertThatThrownBy(() -> twice.stat("config")).hasMessageContaining("after 2 attempts");
    assertThat(faulty.calls(Operation.STAT)).isEqualTo(2);
  }

  @Test
  void aMessageThatAlreadyNamesTheOperationIsNotPrefixedTwice() {
    // as SftpStorage and S3Storage word their failures
    faulty.failCall(Operation.STAT, 1,
        name -> new IOException("cannot stat '" + name + "' in " + faulty.location() + ": connection reset"));
    RetryingStorage single = new RetryingStorage(faulty, 1, Duration.ZERO, Duration.ZERO, sleeps::add, () -> 0.5);
    assertThatThrownBy(() -> single.stat("config")).hasMessage("cannot stat 'config' in " + faulty.location()
        + " after 1 attempt: connection reset; check the connection to the storage and try again");
  }

  @Test
  void givesUpAfterMaxAttemptsNamingTheObject() {
    faulty.failNext(Operation.STAT, 10);
    assertThatThrownBy(() -> storage.stat("snapshots/s1"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isFalse())
        .hasMessageContaining("stat 'snapshots/s1'").hasMessageContaining("after 5 attempts")
        .hasRootCauseInstanceOf(IOException.class);
    assertThat(faulty.calls(Operation.STAT)).isEqualTo(5);
    assertThat(sleeps).hasSize(4);
  }

  @Test
  void missingObjectIsPassedThroughAtOnce() {
    assertThatThrownBy(() -> storage.get("index/none")).isInstanceOf(NoSuchFileException.class);
    assertThat(faulty.calls(Operation.GET)).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void permanentFailuresFailFastAsPermanentStorageExceptions() {
    faulty.failCall(Operation.PUT, 1, name -> new AccessDeniedException(name, null, "read-only bucket"));
    assertThatThrownBy(() -> storage.put("keys/k1", ByteBuffer.wrap(new byte[1])))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessageContaining("put 'keys/k1'").hasMessageContaining("not retried")
        .hasCauseInstanceOf(AccessDeniedException.class);
    assertThat(faulty.calls(Operation.PUT)).isEqualTo(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aFullDiskIsPermanent() throws Exception {
    faulty.capacity(10);
    assertThatThrownBy(() -> storage.put("data/bb/big", ByteBuffer.wrap(new byte[11])))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
        .hasMessageContaining("No space left on device");
    assertThat(faulty.calls(Operation.PUT)).isEqualTo(1);
  }

  @Test
  void permanentStorageExceptionsFromTheBackendAreNotRetried() {
    faulty.failCall(Operation.LIST, 1, name -> {
      throw new StorageException("bucket 'x' does not exist", true);
    });
    assertThatThrownBy(() -> storage.list("data/"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue());
    assertThat(faulty.calls(Operation.LIST)).isEqualTo(1);
  }

  @Test
  void invalidNamesAreTheCallersBugAndNotWrapped() {
    assertThatThrownBy(() -> storage.put("../x", ByteBuffer.allocate(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void brokenDownloadResumesAtThePositionReached() throws Exception {
    byte[] data = new byte[100_000];
    new java.util.Random(7).nextBytes(data);
    memory.put("data/cc/pack", ByteBuffer.wrap(data));
    faulty.breakNextGet(30_000);
    faulty.breakNextGet(1_000); // the first reopening breaks as well
    try (InputStream in = storage.get("data/cc/pack", 500, 90_000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 500, 90_500));
    }
    assertThat(faulty.calls(Operation.GET)).isEqualTo(3);
    assertThat(faulty.bytes(Operation.GET)).isEqualTo(90_000);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void interruptedWaitStopsRetrying() {
    RetryingStorage interrupted = new RetryingStorage(faulty, 5, Duration.ofMillis(100), Duration.ofSeconds(1), d -> {
      throw new InterruptedException();
    }, () -> 0.5);
    faulty.failNext(Operation.DELETE, 1);
    try {
      assertThatThrownBy(() -> interrupted.delete("locks/l")).isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(() -> Storages.retrying(memory, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
  }
}
