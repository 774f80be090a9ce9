package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies into a destination that changed behind the copying session's back: a prune by another process
 * (blobs the session's index still lists are gone), or a pack lost and repaired (lost blobs out of its
 * index). Every later copy must store what the destination lacks, with and without shared chunking.
 */
class CopyAfterDamageTest {
  @TempDir Path tmp;

  private Path source(String name) throws Exception {
    Path src = tmp.resolve(name);
    Files.createDirectories(src.resolve("d"));
    byte[] b = new byte[64 * 1024];
    new Random(3).nextBytes(b);
    Files.write(src.resolve("d/data.bin"), b);
    Files.writeString(src.resolve("note.txt"), "important\n");
    return src;
  }

  /**
   * A long-lived destination session (a scheduler's) copies; meanwhile another process prunes the
   * destination. The next copy from the first session must not deduplicate against deleted blobs.
   */
  private void copyAfterPruneElsewhere(boolean shared) throws Exception {
    Path src = source("src-" + shared);
    Storage dstStorage = Storages.local(tmp.resolve("dst-" + shared));
    try (Repository primary = TestRepos.init(Storages.local(tmp.resolve("primary-" + shared)));
        Repository dst = shared ? TestRepos.builder(dstStorage).chunkingFrom(primary).init() : TestRepos.init(dstStorage)) {
      primary.backup(List.of(FileSource.of(src)));
      List<Snapshot> first = primary.copyTo(dst).copied();
      assertThat(first).hasSize(1);
      // another process: forgets the copy and prunes the destination
      try (Repository other = TestRepos.open(dstStorage)) {
        other.forget(List.of(first.get(0).id().hex()), false);
        other.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      }
      // the long-lived session copies again (e.g. the next scheduled copy)
      assertThat(primary.copyTo(dst).copied()).hasSize(1);
    }
    try (Repository fresh = TestRepos.open(dstStorage)) {
      var v = fresh.verify(true);
      assertThat(v.ok()).as("the destination's copy is whole: %s", v).isTrue();
    }
  }

  /**
   * A copy runs while another host, whose clock is two hours ahead (or while the copying process was
   * suspended past the stale time), takes the copy's lock for stale, forgets the earlier copy and prunes:
   * the data the copy deduplicated against is gone before it commits. The copy must notice and commit
   * nothing, or the destination must still verify.
   */
  private void copyWhileAnotherHostPrunes(boolean shared) throws Exception {
    Path src = source("srcP-" + shared);
    Path dstDir = tmp.resolve("dstP-" + shared);
    java.util.concurrent.CountDownLatch uploading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
    Storage pausing = new dev.cairn.backup.testing.ForwardingStorage(Storages.local(dstDir)) {
      @Override
      public void put(String name, java.nio.ByteBuffer content) throws java.io.IOException {
        if (name.startsWith("data/") && armed) {   // every pack of the copy waits for the prune
          uploading.countDown();
          try {
            resume.await(60, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
          }
        }
        super.put(name, content);
      }
    };
    try (Repository primary = TestRepos.init(Storages.local(tmp.resolve("primaryP-" + shared)));
        Repository dst = shared ? TestRepos.builder(pausing).chunkingFrom(primary).init() : TestRepos.init(pausing)) {
      primary.backup(List.of(FileSource.of(src)));
      List<Snapshot> first = primary.copyTo(dst).copied();
      Files.writeString(src.resolve("new.txt"), "written after the first copy\n");
      primary.backup(List.of(FileSource.of(src)));
      armed = true;
      java.util.concurrent.CompletableFuture<?> copy = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> primary.copyTo(dst, List.of("latest"), dev.cairn.backup.ProgressListener.NONE));
      assertThat(uploading.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      try (Repository other = TestRepos.builder(Storages.local(dstDir))
          .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(2))).host("other-host").open()) {
        other.forget(List.of(first.get(0).id().hex()), false);
        other.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      }
      resume.countDown();
      try {
        copy.get(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).hasMessageContaining("deleted meanwhile").hasMessageContaining("Run the copy again");
        // and run again, it sends what is gone
        assertThat(primary.copyTo(dst, List.of("latest"), dev.cairn.backup.ProgressListener.NONE).copied()).hasSize(1);
      }
    }
    try (Repository fresh = TestRepos.open(Storages.local(dstDir))) {
      var v = fresh.verify(true);
      assertThat(v.ok()).as("the destination's copy is whole: %s", v).isTrue();
      assertThat(fresh.snapshots()).hasSize(1);
    }
  }

  private volatile boolean armed;

  @Test
  void copyWhileAnotherHostPrunesSharedChunking() throws Exception {
    copyWhileAnotherHostPrunes(true);
  }

  @Test
  void copyWhileAnotherHostPrunesOtherChunking() throws Exception {
    copyWhileAnotherHostPrunes(false);
  }

  @Test
  void copyAfterPruneByAnotherProcessSharedChunking() throws Exception {
    copyAfterPruneElsewhere(true);
  }

  @Test
  void copyAfterPruneByAnotherProcessOtherChunking() throws Exception {
    copyAfterPruneElsewhere(false);
  }

  /**
   * The destination lost a pack ('repair packs' took the lost blobs out of its index); the next copy of a
   * new snapshot that shares those files must store them again, as a backup does.
   */
  private void copyAfterDestinationLostAPack(boolean shared) throws Exception {
    Path src = tmp.resolve("srcL-" + shared);
    Files.createDirectories(src);
    Random random = new Random(7);
    for (int i = 0; i < 24; i++) {
      byte[] b = new byte[16 * 1024];
      random.nextBytes(b);
      Files.write(src.resolve("file-" + i + ".bin"), b);
    }
    Path dstDir = tmp.resolve("dstL-" + shared);
    Storage dstStorage = Storages.local(dstDir);
    try (Repository primary = TestRepos.init(Storages.local(tmp.resolve("primaryL-" + shared)));
        Repository dst = shared ? TestRepos.builder(dstStorage).chunkingFrom(primary).init() : TestRepos.init(dstStorage)) {
      primary.backup(List.of(FileSource.of(src)));
      assertThat(primary.copyTo(dst).copied()).hasSize(1);
    }
    // bit rot in the destination's largest pack
    Path pack;
    try (var files = Files.walk(dstDir.resolve("data"))) {
      pack = files.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
    byte[] b = Files.readAllBytes(pack);
    b[b.length / 2] ^= 0x01;
    Files.write(pack, b);
    Files.writeString(src.resolve("new.txt"), "a new file, so the next backup is a new snapshot\n");
    try (Repository primary = TestRepos.open(Storages.local(tmp.resolve("primaryL-" + shared)));
        Repository dst = TestRepos.open(dstStorage)) {
      var r = dst.repairPacks(List.of(), null, false, dev.cairn.backup.ProgressListener.NONE);
      assertThat(r.lostBlobs()).isNotEmpty();
      primary.backup(List.of(FileSource.of(src)));
      List<Snapshot> copied = primary.copyTo(dst).copied();
      assertThat(copied).hasSize(1);
      String newId = copied.get(0).id().hex();
      var v = dst.verify(true);
      assertThat(v.damagedPaths()).as("the newly copied snapshot is whole: %s", v)
          .noneMatch(d -> d.snapshot().hex().equals(newId));
    }
  }

  @Test
  void copyStoresAgainWhatTheDestinationLostSharedChunking() throws Exception {
    copyAfterDestinationLostAPack(true);
  }

  @Test
  void copyStoresAgainWhatTheDestinationLostOtherChunking() throws Exception {
    copyAfterDestinationLostAPack(false);
  }
}
