package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source writing from several threads at once, and a storage that fails mid-backup. */
class ConcurrencyAndFaultsTest {
  @TempDir Path tmp;

  /** Like a database source: eight tables dumped by four threads, with verification data and metadata. */
  private static final class ParallelSource implements Source {
    @Override public String name() { return "db"; }
    @Override public String type() { return "test-db"; }

    @Override
    public void backup(SourceContext context) throws IOException {
      context.putMetadata("server", "test 1.0");
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> jobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int table = t;
          jobs.add(pool.submit(() -> {
            String path = "db/t" + table + "/00000.tsv";
            long rows = 20_000 + table * 1000L;
            try (OutputStream out = context.newFile(EntryMetadata.stream(path))) {
              for (long r = 0; r < rows; r++) {
                out.write(("" + table + "\t" + r + "\trow " + r + " of table " + table + "\n").getBytes());
              }
            }
            context.addVerification(Verification.of("db.t" + table, rows, "rows"));
            return null;
          }));
        }
        for (Future<?> f : jobs) {
          f.get();
        }
      } catch (Exception e) {
        throw new IOException(e);
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void entriesWrittenFromSeveralThreadsAllRestore() throws Exception {
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport r = repo.backup(List.of(new ParallelSource()));
      assertThat(r.files()).isEqualTo(8);
      assertThat(r.snapshot().source("db").orElseThrow().verifications()).hasSize(8);
      assertThat(r.snapshot().source("db").orElseThrow().metadata()).containsEntry("server", "test 1.0");
      Path dest = tmp.resolve("r");
      repo.restore(RestoreRequest.builder().destination(dest).build());
      for (int t = 0; t < 8; t++) {
        List<String> lines = Files.readAllLines(dest.resolve("db/t" + t + "/00000.tsv"));
        assertThat(lines).hasSize(20_000 + t * 1000);
        assertThat(lines.get(lines.size() - 1)).isEqualTo(t + "\t" + (lines.size() - 1) + "\trow "
            + (lines.size() - 1) + " of table " + t);
      }
    }
  }

  /** Fails every pack upload while {@code failing} is set. */
  private static final class FailingPacks implements Storage {
    private final Storage delegate = new InMemoryStorage();
    final AtomicBoolean failing = new AtomicBoolean();

    @Override public String location() { return "failing:" + delegate.location(); }

    @Override
    public void put(String name, ByteBuffer content) throws IOException {
      if (failing.get() && name.startsWith("data/")) {
        throw new IOException("injected: disk full writing " + name);
      }
      delegate.put(name, content);
    }

    @Override public InputStream get(String name, long offset, long length) throws IOException {
      return delegate.get(name, offset, length);
    }
    @Override public List<StorageObject> list(String prefix) throws IOException { return delegate.list(prefix); }
    @Override public void delete(String name) throws IOException { delegate.delete(name); }
    @Override public Optional<StorageObject> stat(String name) throws IOException { return delegate.stat(name); }
    @Override public void close() throws IOException { delegate.close(); }
  }

  /** A complete backup of {@code src} into {@code repo}, restored identical. */
  private void backsUpAndRestoresTheSameTree(Repository repo, Path src) throws IOException {
    BackupReport r = repo.backup(List.of(dev.cairn.backup.FileSource.of(src)));
    assertThat(r.snapshot().complete()).isTrue();
    Path dest = tmp.resolve("r");
    repo.restore(RestoreRequest.builder().destination(dest).build());
    TestTrees.assertSameTree(src, dest);
  }

  @Test
  void failingStorageFailsTheBackupCleanlyAndTheNextOneSucceeds() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 20, 3 << 20);
    FailingPacks storage = new FailingPacks();
    try (Repository repo = TestRepos.init(storage)) {
      storage.failing.set(true);
      assertThatThrownBy(() -> repo.backup(List.of(dev.cairn.backup.FileSource.of(src))))
          .isInstanceOf(BackupException.class).hasStackTraceContaining("disk full");
    }
    storage.failing.set(false);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.snapshots()).isEmpty();
      assertThat(repo.verify(true).problems()).isEmpty();
      backsUpAndRestoresTheSameTree(repo, src);
    }
  }

  /**
   * An application keeps one {@link Repository} open for months: a storage failure (an upload that
   * failed, a full disk) fails that backup, and once storage works again the same instance backs up
   * again, as a newly opened one would; it used to fail every later backup with the old failure until
   * the application was restarted.
   */
  @Test
  void theSameRepositoryBacksUpAgainOnceStorageRecovers() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 20, 3 << 20);
    FailingPacks storage = new FailingPacks();
    try (Repository repo = TestRepos.init(storage)) {
      storage.failing.set(true);
      assertThatThrownBy(() -> repo.backup(List.of(dev.cairn.backup.FileSource.of(src))))
          .isInstanceOf(BackupException.class).hasStackTraceContaining("disk full");
      storage.failing.set(false);
      backsUpAndRestoresTheSameTree(repo, src);
    }
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.verify(true).problems()).isEmpty();
    }
  }

  /**
   * The other side of recovering: while a backup that referred to a blob the failure lost is still
   * running, a backup starting meanwhile must not clear the failure, or the running one would commit a
   * snapshot whose data was never stored.
   */
  @Test
  void aBackupStillReferringToLostDataFailsEvenIfAnotherStartsMeanwhile() throws Exception {
    FailingPacks storage = new FailingPacks();
    TestRepos.builder(storage).chunking(dev.cairn.backup.Chunking.of(2 << 20, 4 << 20, 8 << 20)).init().close();
    byte[] shared = new byte[1 << 20];
    new java.util.Random(5).nextBytes(shared);
    java.util.concurrent.CountDownLatch bReferred = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch cDone = new java.util.concurrent.CountDownLatch(1);
    Source a = new NamedSource("a", context -> {
      write(context, "x", shared); // X: packed, uploaded at A's flush, which fails
      await(bReferred);
      storage.failing.set(true);
    });
    Source b = new NamedSource("b", context -> {
      write(context, "x", shared); // X is in flight in A: referred to, not stored again
      bReferred.countDown();
      await(cDone);
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Repository repo = TestRepos.builder(storage).packSize(64 * 1024).open()) {
      Future<BackupReport> fb = pool.submit(() -> repo.backup(List.of(b)));
      assertThatThrownBy(() -> repo.backup(List.of(a))).hasStackTraceContaining("disk full");
      storage.failing.set(false);
      try {
        repo.backup(List.of(new NamedSource("c", context -> write(context, "y", new byte[] {1, 2, 3}))));
      } catch (BackupException e) {
        // B still runs: the failure cannot be cleared yet
      } finally {
        cDone.countDown();
      }
      assertThatThrownBy(fb::get).hasStackTraceContaining("disk full");
      BackupReport d = repo.backup(List.of(new NamedSource("d", context -> write(context, "x", shared))));
      assertThat(d.snapshot().complete()).isTrue();
      assertThat(repo.verify(true).problems()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private interface Body {
    void run(SourceContext context) throws IOException;
  }

  private record NamedSource(String name, Body body) implements Source {
    @Override public String type() { return "test"; }

    @Override
    public void backup(SourceContext context) throws IOException {
      body.run(context);
    }
  }

  private static void write(SourceContext context, String path, byte[] content) throws IOException {
    try (OutputStream out = context.newFile(EntryMetadata.stream(path))) {
      out.write(content);
    }
  }

  private static void await(java.util.concurrent.CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IOException("timed out");
      }
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }
}
