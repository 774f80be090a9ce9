package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.PackRepairReport;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.PackRewriter;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.ForwardingStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * repair packs against what goes wrong around it: duplicated blobs, listings and reads that fail or end
 * early, a kill at each step, other sessions, locks, and a copy with gaps of its own.
 */
class PackRepairFaultsTest extends TwoCopies {
  // a blob whose first index location is the damaged pack, intact in another pack

  /** Makes every blob of the largest pack exist twice (as a concurrent backup or an indexed leftover pack does). */
  private ObjectId[] duplicateLargestPack() throws Exception {
    ObjectId original = ObjectId.parse(largestPack().getFileName().toString());
    ObjectId copyPack;
    try (Repository primary = TestRepos.open(primaryStorage)) {
      EncryptedRepository er = internal(primary);
      try (PackRewriter rw = new PackRewriter(er)) {
        for (BlobLocation b : er.packContents(original)) {
          rw.copy(b.id());
        }
        List<ObjectId> written = rw.finish();
        assertThat(written).hasSize(1);
        copyPack = written.get(0);
        rw.writeIndex(List.of(), List.of()); // an index of the new pack only, as a second backup would write
      }
    }
    try (Repository primary = TestRepos.open(primaryStorage)) {
      EncryptedRepository er = internal(primary);
      ObjectId first = er.lookup(er.readPackHeader(original).get(0).id()).orElseThrow().pack();
      ObjectId other = first.equals(original) ? copyPack : original;
      return new ObjectId[] {first, other};
    }
  }

  @Test
  void aBlobIntactInAnotherPackIsNotLost() throws Exception {
    ObjectId[] firstAndOther = duplicateLargestPack();
    flipMiddleByte(packFile(firstAndOther[0]));
    try (Repository primary = TestRepos.open(primaryStorage)) {
      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(r.repairedPacks()).containsExactly(firstAndOther[0].hex());
      assertThat(packFile(firstAndOther[1])).as("the duplicate pack is intact and still stored").exists();
      assertThat(r.lostBlobs()).as("every blob of the damaged pack is intact in pack " + firstAndOther[1].shortHex())
          .isEmpty();
    }
  }

  @Test
  void theNewIndexKeepsEveryEntryOfThePacksThatStay() throws Exception {
    ObjectId[] firstAndOther = duplicateLargestPack();
    flipMiddleByte(packFile(firstAndOther[0]));
    try (Repository primary = TestRepos.open(primaryStorage)) {
      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(r.newPacks()).as("nothing needed writing: every blob is intact in the other pack").isEmpty();
      EncryptedRepository er = internal(primary);
      assertThat(er.packContents(firstAndOther[1])).isNotEmpty();
      assertThat(primary.verify(true).ok()).isTrue();
      primary.repairIndex(false);
      assertThat(primary.verify(true).ok()).isTrue();
    }
  }

  // one listing that misses a pack does not make it missing

  @Test
  void aPackTheListingMissedOnceIsNotDeleted() throws Exception {
    Path pack = largestPack();
    String hidden = pack.getFileName().toString();
    AtomicInteger hide = new AtomicInteger();
    ForwardingStorage hiding = new ForwardingStorage(primaryStorage) {
      @Override
      public List<StorageObject> list(String prefix) throws IOException {
        List<StorageObject> all = super.list(prefix);
        if (prefix.startsWith("data") && hide.getAndDecrement() > 0) {
          return all.stream().filter(o -> !o.name().endsWith(hidden)).toList();
        }
        return all;
      }
    };
    try (Repository primary = TestRepos.open(hiding)) {
      hide.set(1);
      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(pack).as("an intact pack must not be deleted because one listing missed it").exists();
      assertThat(r.lostBlobs()).isEmpty();
    }
  }

  // a read that ends early is a storage failure, not damage

  @Test
  void aShortReadWhileSalvagingDoesNotLoseAnIntactBlob() throws Exception {
    Path pack = largestPack();
    String name = pack.getFileName().toString();
    flipMiddleByte(pack);
    Set<String> damaged;
    try (Repository primary = TestRepos.open(primaryStorage)) {
      damaged = internal(primary).checkPack(ObjectId.parse(name)).damagedBlobs().stream().map(ObjectId::hex)
          .collect(Collectors.toSet());
    }
    assertThat(damaged).hasSize(1);
    AtomicInteger truncate = new AtomicInteger();
    ForwardingStorage flaky = new ForwardingStorage(primaryStorage) {
      @Override
      public InputStream get(String n, long offset, long length) throws IOException {
        InputStream in = super.get(n, offset, length);
        if (length >= 0 && n.endsWith(name) && truncate.getAndDecrement() > 0) {
          byte[] all = in.readAllBytes();
          in.close();
          return new ByteArrayInputStream(all, 0, all.length / 2); // the connection ended early, no error
        }
        return in;
      }
    };
    Map<String, Long> before = TestRepos.objects(primaryStorage);
    try (Repository primary = TestRepos.open(flaky)) {
      truncate.set(1);
      assertThatThrownBy(() -> primary.repairPacks(List.of(), null, false, ProgressListener.NONE))
          .isInstanceOf(StorageException.class).hasMessageContaining("ended after");
      assertThat(TestRepos.objects(primaryStorage)).as("nothing changed").isEqualTo(before);
      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(r.lostBlobs()).as("only the damaged blob is lost")
          .containsExactlyInAnyOrderElementsOf(damaged);
    }
  }

  // failed reads are not damage

  @Test
  void aPackThatReadsDamagedOnceAndIntactTheSecondTimeIsLeftAlone() throws Exception {
    Path pack = largestPack();
    String name = pack.getFileName().toString();
    Map<String, Long> before = TestRepos.objects(primaryStorage);
    AtomicInteger garble = new AtomicInteger(1);
    ForwardingStorage flaky = new ForwardingStorage(primaryStorage) {
      @Override
      public InputStream get(String n, long offset, long length) throws IOException {
        InputStream in = super.get(n, offset, length);
        if (n.endsWith(name) && garble.getAndDecrement() > 0) {
          byte[] all = in.readAllBytes();
          in.close();
          all[all.length / 2] ^= 0x01; // a bit flipped on the way, not on the disk
          return new ByteArrayInputStream(all);
        }
        return in;
      }
    };
    try (Repository primary = TestRepos.open(flaky)) {
      PackRepairReport r = primary.repairPacks(List.of(), null, false, ProgressListener.NONE);
      assertThat(garble.get()).as("the garbled read happened").isNegative();
      assertThat(r.repairedPacks()).isEmpty();
    }
    assertThat(TestRepos.objects(primaryStorage)).isEqualTo(before);
  }

  @Test
  void twoFailedReadsOfAnIntactPackAreNotDamage() throws Exception {
    Map<String, Long> before = TestRepos.objects(primaryStorage);
    AtomicInteger fail = new AtomicInteger();
    ForwardingStorage flaky = new ForwardingStorage(primaryStorage) {
      @Override
      public InputStream get(String n, long offset, long length) throws IOException {
        if (n.startsWith("data/") && fail.getAndDecrement() > 0) {
          throw new IOException("connection reset");
        }
        return super.get(n, offset, length);
      }
    };
    try (Repository primary = TestRepos.open(flaky)) {
      fail.set(2);
      assertThatThrownBy(() -> primary.repairPacks(List.of(), null, false, ProgressListener.NONE))
          .isInstanceOf(StorageException.class);
    }
    assertThat(TestRepos.objects(primaryStorage)).isEqualTo(before);
  }

  // killed part-way: running it again finishes

  @org.junit.jupiter.params.ParameterizedTest(name = "killed at delete {0} of {1}")
  @org.junit.jupiter.params.provider.CsvSource({"1, the damaged pack", "2, the first old index file",
      "0, the last old index file"})
  void killedAtEachDeleteARerunFinishes(int call, String what) throws Exception {
    Path pack = largestPack();
    flipMiddleByte(pack);
    int deletes = 1 + (int) TestRepos.objects(primaryStorage).keySet().stream().filter(n -> n.startsWith("index/"))
        .count();
    FaultyStorage faulty = new FaultyStorage(primaryStorage);
    try (Repository primary = TestRepos.open(faulty); Repository copy = TestRepos.open(copyStorage)) {
      faulty.failCall(FaultyStorage.Operation.DELETE, call == 0 ? deletes : call);
      assertThatThrownBy(() -> primary.repairPacks(List.of(), copy, false, ProgressListener.NONE))
          .as(what).isInstanceOf(StorageException.class);
    }
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      assertThat(primary.snapshots()).as("the repository opens and lists after the kill").hasSize(1);
      PackRepairReport again = primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      assertThat(again.complete()).isTrue();
      assertThat(pack).doesNotExist();
      assertThat(primary.verify(true).ok()).isTrue();
      // nothing is left for a later 'repair index' to bring back
      primary.repairIndex(false);
      assertThat(primary.verify(true).ok()).isTrue();
      Path out = tmp.resolve("restored");
      primary.restore(dev.cairn.backup.RestoreRequest.builder().destination(out).build());
      assertThat(out.resolve("file-0.bin")).hasSameBinaryContentAs(src.resolve("file-0.bin"));
    }
  }

  // locks, and the copy being this repository

  @Test
  void takesTheExclusiveLockAndRefusesWhileABackupHoldsAShared() throws Exception {
    flipMiddleByte(largestPack());
    try (Repository primary = TestRepos.open(primaryStorage);
        Repository other = TestRepos.open(primaryStorage);
        var shared = internal(other).lock(false)) {
      assertThatThrownBy(() -> primary.repairPacks(List.of(), null, false, ProgressListener.NONE))
          .isInstanceOf(RepositoryLockedException.class);
      // a dry run shares the repository
      assertThat(primary.repairPacks(List.of(), null, true, ProgressListener.NONE).repairedPacks()).hasSize(1);
    }
  }

  @Test
  void theSameRepositoryUnderAnotherPathIsNamedAsSuch() throws Exception {
    flipMiddleByte(largestPack());
    Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("primary"));
    try (Repository primary = TestRepos.open(primaryStorage);
        Repository same = TestRepos.open(Storages.local(link))) {
      assertThatThrownBy(() -> primary.repairPacks(List.of(), same, false, ProgressListener.NONE))
          .isInstanceOf(dev.cairn.backup.ConfigurationException.class).hasMessageContaining("is this repository");
      assertThatThrownBy(() -> primary.repairPacks(List.of(), same, true, ProgressListener.NONE))
          .isInstanceOf(dev.cairn.backup.ConfigurationException.class);
    }
  }

  // a copy with gaps of its own

  @Test
  void onRemoteStorageThePacksAreCheckedAheadAndAnIntactPackIsReadOnce() throws Exception {
    // a few packs, one damaged, on storage that says reads wait a round trip
    try (Repository primary = TestRepos.builder(primaryStorage).packSize(64 * 1024).open()) {
      for (int i = 0; i < 6; i++) {
        Files.write(src.resolve("more-" + i + ".bin"), new java.util.Random(100 + i).ints(40_000).mapToObj(
            Integer::toString).collect(Collectors.joining(",")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      primary.backup(List.of(FileSource.of(src)));
    }
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      primary.copyTo(copy);
    }
    Path damaged = largestPack();
    flipMiddleByte(damaged);
    java.util.Map<String, AtomicInteger> wholeReads = new java.util.concurrent.ConcurrentHashMap<>();
    ForwardingStorage remote = new ForwardingStorage(primaryStorage) {
      @Override
      public InputStream get(String n, long offset, long length) throws IOException {
        if (n.startsWith("data/") && offset == 0 && length > 0 && length == stat(n).orElseThrow().size()) {
          wholeReads.computeIfAbsent(n.substring(n.lastIndexOf('/') + 1), k -> new AtomicInteger()).incrementAndGet();
        }
        return super.get(n, offset, length);
      }

      @Override
      public int parallelReads() {
        return 8;
      }
    };
    try (Repository primary = TestRepos.open(remote); Repository copy = TestRepos.open(copyStorage)) {
      PackRepairReport r = primary.repairPacks(List.of(), copy, false);
      assertThat(r.repairedPacks()).containsExactly(damaged.getFileName().toString());
      assertThat(r.complete()).isTrue();
      assertThat(r.packsChecked()).isGreaterThan(3);
      wholeReads.forEach((pack, n) -> assertThat(n.get()).as("whole reads of pack " + pack)
          .isEqualTo(pack.equals(damaged.getFileName().toString()) ? 3 : 1));
      assertThat(primary.verify(true).ok()).isTrue();
    }
  }

  @Test
  void progressMovesWhilePacksAreCheckedAhead() throws Exception {
    try (Repository primary = TestRepos.builder(primaryStorage).packSize(64 * 1024).open()) {
      for (int i = 0; i < 6; i++) {
        Files.write(src.resolve("more-" + i + ".bin"), new java.util.Random(100 + i).ints(40_000).mapToObj(
            Integer::toString).collect(Collectors.joining(",")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      primary.backup(List.of(FileSource.of(src)));
    }
    AtomicInteger reads = new AtomicInteger();
    ForwardingStorage remote = new ForwardingStorage(primaryStorage) {
      @Override
      public InputStream get(String n, long offset, long length) throws IOException {
        if (n.startsWith("data/")) {
          reads.incrementAndGet();
          try {
            Thread.sleep(300); // a round trip to remote storage
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.get(n, offset, length);
      }

      @Override
      public int parallelReads() {
        return 8;
      }
    };
    java.util.List<String> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Repository primary = TestRepos.open(remote)) {
      primary.repairPacks(List.of(), null, true,
          p -> samples.add("reads=" + reads.get() + " files=" + p.files() + "/" + p.totalFiles()));
    }
    // while the packs are being read, some sample shows packs checked before the last read
    assertThat(samples).as("a sample with progress before the reading ended")
        .anyMatch(s -> !s.contains("files=0/") && !s.startsWith("reads=" + reads.get() + " "));
  }

  @Test
  void aFileLevelMirrorOfTheRepositoryIsAnotherCopy() throws Exception {
    // rsync or cp -a of the repository: the same repository id in another place, a good source
    Path mirror = tmp.resolve("mirror");
    try (Stream<Path> files = Files.walk(tmp.resolve("primary"))) {
      for (Path f : files.toList()) {
        Path to = mirror.resolve(tmp.resolve("primary").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    flipMiddleByte(largestPack());
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(Storages.local(mirror))) {
      PackRepairReport r = primary.repairPacks(List.of(), copy, false);
      assertThat(r.complete()).isTrue();
      assertThat(r.blobsFromCopy()).isPositive();
      assertThat(primary.verify(true).ok()).isTrue();
    }
  }

  @Test
  void aCopyMissingAPackStillSuppliesWhatItHas() throws Exception {
    Path pack = largestPack();
    ObjectId damagedPack = ObjectId.parse(pack.getFileName().toString());
    Files.delete(pack);
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      // the copy lost the pack holding one blob of the pack lost here
      List<ObjectId> blobs = internal(primary).packContents(damagedPack).stream().map(BlobLocation::id).toList();
      ObjectId copyPack = internal(copy).lookup(blobs.get(0)).orElseThrow().pack();
      Set<ObjectId> inCopyPack = internal(copy).packContents(copyPack).stream().map(BlobLocation::id)
          .collect(Collectors.toSet());
      Files.delete(tmp.resolve("copy/data/" + copyPack.hex().substring(0, 2) + "/" + copyPack.hex()));
      // the copy's missing pack is not a failure of the repair: what it still has comes back, the rest is lost
      PackRepairReport r = primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      Set<String> expectedLost = blobs.stream().filter(inCopyPack::contains).map(ObjectId::hex)
          .collect(Collectors.toSet());
      assertThat(r.lostBlobs()).containsExactlyInAnyOrderElementsOf(expectedLost);
      assertThat(r.blobsFromCopy()).isEqualTo(blobs.size() - expectedLost.size());
    }
  }

  // an index file another session writes while the (hours-long) check runs

  @Test
  void anIndexFileWrittenDuringTheCheckIsNotDeleted() throws Exception {
    flipMiddleByte(largestPack());
    byte[] chunk = new byte[5000];
    new Random(99).nextBytes(chunk);
    ObjectId[] late = new ObjectId[1];
    AtomicInteger once = new AtomicInteger(1);
    try (Repository writer = TestRepos.open(primaryStorage)) {
      EncryptedRepository w = internal(writer);
      ForwardingStorage hook = new ForwardingStorage(primaryStorage) {
        @Override
        public InputStream get(String n, long offset, long length) throws IOException {
          if (n.startsWith("data/") && once.getAndDecrement() > 0) {
            // a backup whose lock went stale (host suspended > 30 min) resumes and flushes meanwhile
            late[0] = w.chunkId(chunk, 0, chunk.length);
            w.addBlob(dev.cairn.backup.internal.repository.BlobType.DATA, late[0], chunk, 0, chunk.length);
            w.flush();
          }
          return super.get(n, offset, length);
        }
      };
      try (Repository primary = TestRepos.open(hook); Repository copy = TestRepos.open(copyStorage)) {
        primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      }
    }
    try (Repository primary = TestRepos.open(primaryStorage)) {
      assertThat(internal(primary).hasBlob(late[0]))
          .as("the blob indexed by another session during the repair must stay indexed").isTrue();
    }
  }

  // a snapshot a newer Cairn wrote

  @Test
  void aNewerFormatSnapshotDoesNotFailARepairAfterItDeletedPacks() throws Exception {
    Path pack = largestPack();
    flipMiddleByte(pack);
    try (var engine = EncryptedRepository.open(primaryStorage, TestRepos.PASSPHRASE,
        dev.cairn.backup.internal.repository.RepositoryOptions.defaults())) {
      engine.saveUnpacked(dev.cairn.backup.internal.repository.FileType.SNAPSHOT,
          "{\"version\":2,\"time\":\"2099-01-01T00:00:00Z\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    try (Repository primary = TestRepos.open(primaryStorage); Repository copy = TestRepos.open(copyStorage)) {
      PackRepairReport r = primary.repairPacks(List.of(), copy, false, ProgressListener.NONE);
      assertThat(r.complete()).isTrue();
      assertThat(pack).doesNotExist();
    }
  }

  // helpers

  static EncryptedRepository internal(Repository r) throws Exception {
    var f = Repository.class.getDeclaredField("repo");
    f.setAccessible(true);
    return (EncryptedRepository) f.get(r);
  }

  private Path packFile(ObjectId id) {
    return tmp.resolve("primary/data/" + id.hex().substring(0, 2) + "/" + id.hex());
  }

}
