package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.backup.BackupRun;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup holds a shared lock so that no prune deletes what it deduplicates against. Two ways the
 * exclusive lock of another process is granted (or the shared one ignored) while a backup runs, which
 * then commits a snapshot whose data the prune deleted.
 */
class LockLossDuringBackupTest {
  @TempDir Path tmp;

  /** A storage whose reads of lock objects take a while, as a remote storage's round trip does. */
  static final class SlowLockReads extends dev.cairn.backup.testing.ForwardingStorage {
    private final long millis;

    SlowLockReads(Storage d, long millis) {
      super(d);
      this.millis = millis;
    }

    @Override
    public InputStream get(String name, long offset, long length) throws IOException {
      if (name.startsWith("locks/")) {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
      }
      return super.get(name, offset, length);
    }
  }


  /** Backs up {@code delegate} once {@code resume} is counted down. */
  static final class PausingSource implements Source {
    final FileSource delegate;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);

    PausingSource(FileSource delegate) {
      this.delegate = delegate;
    }

    @Override public String name() { return delegate.name(); }
    @Override public String type() { return delegate.type(); }
    @Override public void backup(SourceContext context) throws IOException {
      started.countDown();
      try {
        resume.await();
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      delegate.backup(context);
    }
  }

  /**
   * Snapshot 1 of a tree; then a backup (session A, options {@code aOptions}) starts and, while it runs,
   * another process (opened by {@code other}) forgets snapshot 1 and prunes. The backup then finishes.
   * Either the other process is refused (A holds its lock) or, at the least, A's snapshot must be whole.
   */
  private void backupWhileAnotherProcessPrunes(RepositoryOptions aOptions,
      java.util.function.Function<Path, Repository> other) throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    byte[] b = new byte[256 * 1024];
    new Random(1).nextBytes(b);
    Files.write(src.resolve("big.bin"), b);
    Files.writeString(src.resolve("note.txt"), "important\n");
    Path dir = tmp.resolve("repo");
    Snapshot first;
    try (Repository r = TestRepos.init(Storages.local(dir))) {
      first = r.backup(List.of(FileSource.of(src))).snapshot();
    }
    PausingSource source = new PausingSource(FileSource.of(src));
    CompletableFuture<BackupReport> backup;
    try (EncryptedRepository a = EncryptedRepository.open(Storages.local(dir), TestRepos.PASSPHRASE, aOptions)) {
      backup = CompletableFuture.supplyAsync(() -> BackupRun.run(a, List.of(source), BackupOptions.defaults(), ""));
      assertThat(source.started.await(30, TimeUnit.SECONDS)).isTrue();
      boolean refused = false;
      try (Repository b2 = other.apply(dir)) {
        b2.forget(List.of(first.id().hex()), false);
        b2.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      } catch (RepositoryLockedException e) {
        refused = true; // correct: the backup holds a shared lock
      }
      source.resume.countDown();
      try {
        backup.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // also correct: the backup noticed that data it reused was deleted, and committed nothing
        assertThat(e.getCause()).hasMessageContaining("nothing was committed");
        assertThat(refused).isFalse();
      }
    }
    try (Repository fresh = TestRepos.open(Storages.local(dir))) {
      var v = fresh.verify(true);
      assertThat(v.ok()).as("the snapshot the backup reported as saved is whole: %s", v).isTrue();
    }
  }

  /**
   * The backup's lock is refreshed (new object written, old one deleted) between the other process
   * listing the locks and reading them: the other process sees no lock at all and takes its exclusive
   * lock. The refresh interval is short here to hit the window deterministically; with the default
   * 5 minutes it is hit whenever a refresh falls into the list-then-read window of a prune.
   */
  @Test
  void exclusiveLockIsGrantedWhileABackupRefreshesItsSharedLock() throws Exception {
    RepositoryOptions a = RepositoryOptions.builder().lockRefreshInterval(Duration.ofMillis(100)).build();
    backupWhileAnotherProcessPrunes(a, dir -> TestRepos.open(new SlowLockReads(Storages.local(dir), 400)));
  }

  /**
   * The backup's process is suspended (laptop asleep, VM paused, SIGSTOP) for longer than the stale
   * timeout: its lock counts as stale, another host forgets and prunes. Simulated by the other
   * process's clock being 2 hours ahead. When the backup resumes, nothing checks that its lock was
   * lost: it commits a snapshot referencing pruned data.
   */
  @Test
  void backupCommitsAfterItsLockWentStaleAndAPruneRan() throws Exception {
    backupWhileAnotherProcessPrunes(RepositoryOptions.defaults(), dir -> TestRepos.builder(Storages.local(dir))
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(2))).host("other-host").open());
  }

  /** Control: without the refresh falling into the window, the other process is refused and all is well (passes). */
  @Test
  void controlOtherProcessIsRefusedWithoutTheRace() throws Exception {
    backupWhileAnotherProcessPrunes(RepositoryOptions.defaults(), dir -> TestRepos.open(Storages.local(dir)));
  }
}
