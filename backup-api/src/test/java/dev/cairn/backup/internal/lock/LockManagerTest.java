package dev.cairn.backup.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.FileType;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockManagerTest {
  @TempDir
  Path dir;
  private final TestClock clock = new TestClock();
  private EncryptedRepository repo;

  @BeforeEach
  void init() {
    repo = EncryptedRepository.init(new LocalStorage(dir), Secret.of("pw"), options("host-a"));
  }

  @AfterEach
  void close() {
    repo.close();
  }

  private RepositoryOptions options(String host) {
    return RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1)).clock(clock).hostname(host).build();
  }

  private EncryptedRepository other() {
    return EncryptedRepository.open(new LocalStorage(dir), Secret.of("pw"), options("host-b"));
  }

  @Test
  void sharedLocksCoexistButExcludeExclusive() {
    try (EncryptedRepository b = other(); Lock s1 = repo.lock(false); Lock s2 = b.lock(false)) {
      assertThat(repo.locks()).hasSize(2);
      assertThatThrownBy(() -> b.lock(true)).isInstanceOf(RepositoryLockedException.class)
          .hasMessageContaining("shared lock").hasMessageContaining("@host-");
      assertThat(repo.locks()).hasSize(2); // the refused lock was withdrawn
      assertThat(s1.exclusive()).isFalse();
      assertThat(s2.isHeld()).isTrue();
    }
    assertThat(repo.locks()).isEmpty();
  }

  @Test
  void exclusiveLockExcludesEverythingAndNamesTheHolder() {
    try (EncryptedRepository b = other(); Lock x = repo.lock(true)) {
      assertThatThrownBy(() -> b.lock(false)).isInstanceOf(RepositoryLockedException.class)
          .hasMessageContaining("exclusive lock").hasMessageContaining("host-a")
          .hasMessageContaining("pid " + ProcessHandle.current().pid()).hasMessageContaining("cairn unlock");
      assertThat(x.info().exclusive()).isTrue();
    }
    try (Lock x = other().lock(true)) {
      assertThat(x.isHeld()).isTrue();
    }
  }

  @Test
  void unrefreshedLockGoesStaleAfterTimeoutAndCanBeRemoved() {
    Lock x = repo.lock(true);
    clock.advance(Duration.ofMinutes(29));
    try (EncryptedRepository b = other()) {
      assertThatThrownBy(() -> b.lock(false)).isInstanceOf(RepositoryLockedException.class);
      clock.advance(Duration.ofMinutes(2));
      assertThat(b.locks()).singleElement().matches(LockInfo::stale);
      try (Lock s = b.lock(false)) {
        assertThat(s.isHeld()).isTrue();
      }
      assertThat(b.removeLocks(false)).isEqualTo(1);
      assertThat(b.locks()).isEmpty();
    }
    x.close(); // releasing an already removed lock is fine
  }

  @Test
  void aLockLeftUnwrittenTooLongCannotCommitAnymore() throws Exception {
    // the process slept (suspended laptop, paused VM): its refresher did not run, others may have taken
    // the lock for stale meanwhile. Simulated with a refresher thread that is kept busy.
    LockStore store = new MemoryLockStore();
    var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      java.util.concurrent.CountDownLatch asleep = new java.util.concurrent.CountDownLatch(1);
      scheduler.execute(() -> {
        try {
          asleep.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      LockManager manager = new LockManager(store, java.time.Clock.systemUTC(), "host-c", Duration.ofSeconds(2),
          Duration.ofMillis(200), scheduler);
      Lock x = manager.acquire(false);
      x.checkHeld(); // just taken
      Thread.sleep(1300); // more than half the stale time without a refresh
      assertThatThrownBy(x::checkHeld).hasMessageContaining("was not renewed")
          .hasMessageContaining("nothing was committed");
      asleep.countDown(); // the process wakes up and refreshes
      x.refresh();
      // renewed now, but it lapsed once: what it guarded may have changed meanwhile
      assertThatThrownBy(x::checkHeld).hasMessageContaining("was not renewed");
      x.close();
    } finally {
      scheduler.shutdownNow();
    }
  }

  /**
   * A backup killed with SIGKILL leaves its lock behind, and on a busy host its pid soon belongs to
   * another process. A process that started after the lock was written cannot have written it: the lock
   * is stale, as a dead pid's is (before, prune, forget and a plan's retention failed as locked for 30
   * minutes, naming a pid that was no cairn process). The lock of a process that still runs stays live.
   */
  @Test
  void aLockWhosePidNowBelongsToALaterProcessIsStale() throws Exception {
    LockStore store = new MemoryLockStore();
    var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    Process reused = new ProcessBuilder("sleep", "60").start(); // the pid's new owner, started now
    try {
      Instant written = Instant.now().minus(Duration.ofMinutes(5)); // by the killed backup, 5 minutes ago
      store.save(("{\"version\":1,\"host\":\"host-c\",\"pid\":" + reused.pid() + ",\"user\":\"root\",\"time\":\""
          + written + "\",\"exclusive\":false}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      LockManager manager = new LockManager(store, Clock.systemUTC(), "host-c", Duration.ofMinutes(30),
          Duration.ofMinutes(5), scheduler);
      try (Lock x = manager.acquire(true)) {
        assertThat(x.isHeld()).isTrue();
      }
      // a live holder on this host (this process) still excludes
      try (Lock s = manager.acquire(false)) {
        assertThatThrownBy(() -> manager.acquire(true)).isInstanceOf(RepositoryLockedException.class)
            .hasMessageContaining("pid " + ProcessHandle.current().pid());
      }
    } finally {
      reused.destroyForcibly();
      scheduler.shutdownNow();
    }
  }

  @Test
  void refreshKeepsALockAlive() {
    try (Lock x = repo.lock(true)) {
      var first = x.info();
      clock.advance(Duration.ofMinutes(20));
      x.refresh();
      clock.advance(Duration.ofMinutes(20));
      assertThat(x.info().id()).isNotEqualTo(first.id());
      assertThat(repo.list(FileType.LOCK)).containsExactly(x.info().id());
      try (EncryptedRepository b = other()) {
        assertThatThrownBy(() -> b.lock(false)).isInstanceOf(RepositoryLockedException.class);
      }
    }
  }

  @Test
  void removeAllBreaksLiveLocks() {
    Lock x = repo.lock(true);
    assertThat(repo.removeLocks(false)).isZero();
    assertThat(repo.removeLocks(true)).isEqualTo(1);
    try (Lock s = repo.lock(false)) {
      assertThat(s.isHeld()).isTrue();
    }
    x.close();
    assertThatThrownBy(x::refresh).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingTheRepositoryReleasesItsLocks() {
    EncryptedRepository b = other();
    Lock x = b.lock(true);
    b.close();
    assertThat(x.isHeld()).isFalse();
    assertThat(repo.locks()).isEmpty();
  }

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-28T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Lock objects in memory, with ids numbered in the order they are saved. */
  private static final class MemoryLockStore implements LockStore {
    private final java.util.Map<ObjectId, byte[]> objects = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public ObjectId save(byte[] json) {
      byte[] id = new byte[32];
      id[0] = (byte) next.incrementAndGet();
      objects.put(ObjectId.of(id), json);
      return ObjectId.of(id);
    }

    @Override
    public byte[] load(ObjectId id) {
      return objects.get(id);
    }

    @Override
    public java.util.List<ObjectId> list() {
      return java.util.List.copyOf(objects.keySet());
    }

    @Override
    public void delete(ObjectId id) {
      objects.remove(id);
    }
  }
}
