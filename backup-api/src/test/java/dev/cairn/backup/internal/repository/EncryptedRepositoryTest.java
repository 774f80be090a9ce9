package dev.cairn.backup.internal.repository;

import static dev.cairn.backup.internal.repository.RepositoryFixture.PASSPHRASE;
import static dev.cairn.backup.internal.repository.RepositoryFixture.options;
import static dev.cairn.backup.internal.repository.RepositoryFixture.random;
import static dev.cairn.backup.internal.repository.RepositoryFixture.snapshotFiles;
import static dev.cairn.backup.internal.repository.RepositoryFixture.storage;
import static dev.cairn.backup.internal.repository.RepositoryFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.WrongPassphraseException;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compression;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedRepositoryTest {
  @TempDir
  Path dir;

  private EncryptedRepository init() {
    return EncryptedRepository.init(storage(dir), PASSPHRASE, options().build());
  }

  private EncryptedRepository open() {
    return EncryptedRepository.open(storage(dir), PASSPHRASE, options().build());
  }

  private static ObjectId add(EncryptedRepository repo, BlobType type, byte[] data) {
    ObjectId id = repo.chunkId(data, 0, data.length);
    repo.addBlob(type, id, data, 0, data.length);
    return id;
  }

  /** Creates the repository with {@code blobs} flushed into it; returns their ids. */
  private List<ObjectId> initWith(byte[]... blobs) {
    List<ObjectId> ids = new ArrayList<>();
    try (EncryptedRepository repo = init()) {
      for (byte[] b : blobs) {
        ids.add(add(repo, BlobType.DATA, b));
      }
      repo.flush();
    }
    return ids;
  }

  @Test
  void blobsSurviveFlushAndReopen() {
    Map<ObjectId, byte[]> blobs = new LinkedHashMap<>();
    try (EncryptedRepository repo = init()) {
      for (int i = 0; i < 40; i++) {
        byte[] data = i % 2 == 0 ? random(10_000 + i * 1000, i) : text(50_000 + i, i);
        blobs.put(add(repo, i % 5 == 0 ? BlobType.TREE : BlobType.DATA, data), data);
      }
      repo.flush();
      assertThat(repo.packs()).hasSizeGreaterThan(1);
      for (var e : blobs.entrySet()) {
        assertThat(repo.readBlob(e.getKey())).isEqualTo(e.getValue());
      }
    }
    try (EncryptedRepository repo = open()) {
      assertThat(repo.stats().dataBlobs() + repo.stats().treeBlobs()).isEqualTo(blobs.size());
      for (var e : blobs.entrySet()) {
        assertThat(repo.hasBlob(e.getKey())).isTrue();
        assertThat(repo.readBlob(e.getKey())).isEqualTo(e.getValue());
      }
      assertThat(repo.lookup(blobs.keySet().iterator().next()).orElseThrow().type()).isEqualTo(BlobType.TREE);
    }
  }

  @Test
  void deduplicatesBlobsInFlightAndIndexed() {
    try (EncryptedRepository repo = init()) {
      byte[] data = text(100_000, 1);
      ObjectId id = repo.chunkId(data, 0, data.length);
      assertThat(repo.addBlob(BlobType.DATA, id, data, 0, data.length)).isTrue();
      assertThat(repo.addBlob(BlobType.DATA, id, data, 0, data.length)).isFalse();
      repo.flush();
      assertThat(repo.addBlob(BlobType.DATA, id, data, 0, data.length)).isFalse();
      repo.flush();
      assertThat(repo.stats().addedBlobs()).isEqualTo(1);
      assertThat(repo.list(FileType.PACK)).hasSize(1);
    }
  }

  @Test
  void compressesWhatShrinksAndStoresTheRestRaw() {
    try (EncryptedRepository repo = init()) {
      ObjectId textId = add(repo, BlobType.DATA, text(200_000, 2));
      ObjectId randomId = add(repo, BlobType.DATA, random(200_000, 2));
      repo.flush();
      BlobLocation t = repo.lookup(textId).orElseThrow();
      BlobLocation r = repo.lookup(randomId).orElseThrow();
      assertThat(t.codec()).isEqualTo(Codec.ZSTD);
      assertThat(t.length()).isLessThan(100_000);
      assertThat(r.codec()).isEqualTo(Codec.NONE);
      assertThat(r.length()).isEqualTo(200_000 + 16);
    }
  }

  @Test
  void noCompressionOptionStoresEverythingRaw() {
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE,
        options().compression(Compression.none()).build())) {
      ObjectId id = add(repo, BlobType.DATA, text(100_000, 3));
      repo.flush();
      assertThat(repo.lookup(id).orElseThrow().codec()).isEqualTo(Codec.NONE);
      assertThat(repo.readBlob(id)).isEqualTo(text(100_000, 3));
    }
  }

  @Test
  void chunkIdsAreKeyedPerRepository(@TempDir Path other) {
    byte[] data = text(1000, 4);
    try (EncryptedRepository a = init();
        EncryptedRepository b = EncryptedRepository.init(storage(other), PASSPHRASE, options().build())) {
      assertThat(a.chunkId(data, 0, data.length)).isEqualTo(a.chunkId(data, 0, data.length));
      assertThat(a.chunkId(data, 0, data.length)).isNotEqualTo(b.chunkId(data, 0, data.length));
      try {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        assertThat(a.chunkId(data, 0, data.length).toBytes()).isNotEqualTo(sha.digest(data));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void repositoryInitialisedLikeAnotherChunksAndIdentifiesContentTheSame(@TempDir Path other) throws IOException {
    byte[] data = random(2_000_000, 13);
    try (EncryptedRepository a = init();
        EncryptedRepository b = EncryptedRepository.initSharingChunking(storage(other), Secret.of("other"),
            options().chunker(new dev.cairn.backup.internal.chunker.ChunkerParams(1024, 4096, 8192)).build(), a);
        EncryptedRepository unrelated = EncryptedRepository.init(storage(dir.resolve("x")), PASSPHRASE,
            options().build())) {
      assertThat(b.config().chunker()).isEqualTo(a.config().chunker());
      List<ObjectId> idsA = new ArrayList<>();
      List<ObjectId> idsB = new ArrayList<>();
      List<ObjectId> idsU = new ArrayList<>();
      a.newChunker().chunk(new java.io.ByteArrayInputStream(data), (buf, off, len) -> idsA.add(a.chunkId(buf, off, len)));
      b.newChunker().chunk(new java.io.ByteArrayInputStream(data), (buf, off, len) -> idsB.add(b.chunkId(buf, off, len)));
      unrelated.newChunker().chunk(new java.io.ByteArrayInputStream(data),
          (buf, off, len) -> idsU.add(unrelated.chunkId(buf, off, len)));
      assertThat(idsB).isEqualTo(idsA);
      assertThat(idsU).doesNotContainAnyElementsOf(idsA);
      // the encryption key is still the new repository's own
      byte[] d = text(10_000, 13);
      ObjectId id = add(b, BlobType.DATA, d);
      b.flush();
      assertThat(b.readBlob(id)).isEqualTo(d);
    }
    try (EncryptedRepository b = EncryptedRepository.open(storage(other), Secret.of("other"), options().build())) {
      assertThat(b.config().chunker().avg()).isEqualTo(64 * 1024);
    }
  }

  @Test
  void refusesToInitTwiceAndToOpenNothing(@TempDir Path empty) {
    init().close();
    assertThatThrownBy(this::init).isInstanceOf(ConfigurationException.class).hasMessageContaining("already holds");
    assertThatThrownBy(() -> EncryptedRepository.open(storage(empty), PASSPHRASE, options().build()))
        .isInstanceOf(RepositoryNotFoundException.class).hasMessageContaining(empty.toString());
    assertThat(EncryptedRepository.exists(storage(dir))).isTrue();
    assertThat(EncryptedRepository.exists(storage(empty))).isFalse();
  }

  @Test
  void wrongPassphraseFailsClearlyAndChangesNothing() throws IOException {
    try (EncryptedRepository repo = init()) {
      add(repo, BlobType.DATA, text(10_000, 5));
      repo.flush();
    }
    Map<String, byte[]> before = snapshotFiles(dir);
    assertThatThrownBy(() -> EncryptedRepository.open(storage(dir), Secret.of("wrong"), options().build()))
        .isInstanceOf(WrongPassphraseException.class).hasMessageContaining("wrong passphrase")
        .hasMessageContaining("Nothing was changed");
    Map<String, byte[]> after = snapshotFiles(dir);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void damagedPackIsReportedByNameAndBlob() throws IOException {
    List<ObjectId> ids = initWith(text(30_000, 6), random(30_000, 6));
    ObjectId a = ids.get(0);
    ObjectId b = ids.get(1);
    try (EncryptedRepository repo = open()) {
      BlobLocation loc = repo.lookup(b).orElseThrow();
      Path pack = dir.resolve(ObjectStore.name(FileType.PACK, loc.pack()));
      byte[] bytes = Files.readAllBytes(pack);
      bytes[(int) loc.offset() + 100] ^= 1;
      Files.write(pack, bytes);

      assertThatThrownBy(() -> repo.readBlob(b)).isInstanceOf(IntegrityException.class)
          .hasMessageContaining(loc.pack().hex()).hasMessageContaining(b.hex());
      assertThat(repo.readBlob(a)).isEqualTo(text(30_000, 6));

      PackCheck check = repo.checkPack(loc.pack());
      assertThat(check.ok()).isFalse();
      assertThat(check.damagedBlobs()).containsExactly(b);
      assertThat(check.problems()).anyMatch(p -> p.contains("does not match its name"));
      assertThat(check.blobs()).extracting(BlobLocation::id).contains(b);
    }
  }

  @Test
  void intactPackChecksClean() {
    try (EncryptedRepository repo = init()) {
      add(repo, BlobType.DATA, text(30_000, 7));
      repo.flush();
      for (ObjectId p : repo.packs()) {
        PackCheck c = repo.checkPack(p);
        assertThat(c.ok()).as(c.problems().toString()).isTrue();
        assertThat(c.damagedBlobs()).isEmpty();
      }
    }
  }

  @Test
  void missingPackIsReportedWithItsBlobs() throws IOException {
    ObjectId id;
    try (EncryptedRepository repo = init()) {
      id = add(repo, BlobType.DATA, text(30_000, 8));
      repo.flush();
      ObjectId pack = repo.lookup(id).orElseThrow().pack();
      Files.delete(dir.resolve(ObjectStore.name(FileType.PACK, pack)));
      PackCheck c = repo.checkPack(pack);
      assertThat(c.damagedBlobs()).containsExactly(id);
      assertThat(c.problems()).singleElement().asString().contains("cannot be read");
      assertThatThrownBy(() -> repo.readBlob(id)).isInstanceOf(StorageException.class)
          .hasMessageContaining(pack.hex());
    }
  }

  @Test
  void rebuildsTheIndexFromPackHeaders() throws IOException {
    Map<ObjectId, byte[]> blobs = new HashMap<>();
    try (EncryptedRepository repo = init()) {
      for (int i = 0; i < 20; i++) {
        byte[] d = text(40_000, 100 + i);
        blobs.put(add(repo, BlobType.DATA, d), d);
      }
      repo.flush();
    }
    try (var walk = Files.list(dir.resolve("index"))) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.delete(p);
      }
    }
    try (EncryptedRepository repo = open()) {
      assertThat(repo.stats().dataBlobs()).isZero();
      assertThat(repo.rebuildIndex()).isEmpty();
      blobs.forEach((id, d) -> assertThat(repo.readBlob(id)).isEqualTo(d));
    }
    try (EncryptedRepository repo = open()) {
      assertThat(repo.stats().dataBlobs()).isEqualTo(20);
      assertThat(repo.list(FileType.INDEX)).hasSize(1);
    }
  }

  @Test
  void truncatedPackIsReportedAndLeftOutOfARebuiltIndex() throws IOException {
    ObjectId id = initWith(text(30_000, 12)).get(0);
    ObjectId pack;
    try (EncryptedRepository repo = open()) {
      pack = repo.lookup(id).orElseThrow().pack();
    }
    Path file = dir.resolve(ObjectStore.name(FileType.PACK, pack));
    byte[] b = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(b, b.length - 10));
    try (EncryptedRepository repo = open()) {
      PackCheck c = repo.checkPack(pack);
      assertThat(c.ok()).isFalse();
      assertThat(c.problems()).anyMatch(p -> p.contains("header of pack " + pack));
      // the blob itself is still intact: found through the index, read and checked
      assertThat(c.damagedBlobs()).isEmpty();
      // a sound index file still describes the pack: a full rebuild keeps that, names it, and the blob reads
      EncryptedRepository.IndexRepair repair = repo.repairIndex(true);
      assertThat(repair.unreadablePacks()).isEmpty();
      assertThat(repair.damagedHeaders()).containsExactly(pack);
      assertThat(repo.readBlob(id)).isEqualTo(text(30_000, 12));
    }
    // with no index file to fall back on, the pack is left out and named
    try (var walk = Files.list(dir.resolve("index"))) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.delete(p);
      }
    }
    try (EncryptedRepository repo = open()) {
      assertThat(repo.rebuildIndex()).containsExactly(pack);
      assertThat(repo.hasBlob(id)).isFalse();
    }
  }

  @Test
  void unpackedObjectsAreEncryptedNamedByHashAndChecked() throws IOException {
    byte[] snapshot = "{\"time\":\"2026-11-28T00:00:00Z\",\"paths\":[\"/etc\"]}".getBytes();
    ObjectId id;
    try (EncryptedRepository repo = init()) {
      id = repo.saveUnpacked(FileType.SNAPSHOT, snapshot);
      assertThat(repo.list(FileType.SNAPSHOT)).containsExactly(id);
      assertThat(repo.loadUnpacked(FileType.SNAPSHOT, id)).isEqualTo(snapshot);
    }
    Path file = dir.resolve("snapshots").resolve(id.hex());
    byte[] stored = Files.readAllBytes(file);
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("paths");
    stored[stored.length - 1] ^= 1;
    Files.write(file, stored);
    try (EncryptedRepository repo = open()) {
      assertThatThrownBy(() -> repo.loadUnpacked(FileType.SNAPSHOT, id)).isInstanceOf(IntegrityException.class)
          .hasMessageContaining(id.hex());
      repo.delete(FileType.SNAPSHOT, id);
      assertThat(repo.list(FileType.SNAPSHOT)).isEmpty();
    }
  }

  @Test
  void refusesUnknownFormatVersion() throws IOException {
    init().close();
    Path config = dir.resolve("config");
    byte[] b = Files.readAllBytes(config);
    b[0] = 2;
    Files.write(config, b);
    assertThatThrownBy(this::open).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("format version 2").hasMessageContaining("upgrade Cairn");
  }

  @Test
  void readBlobsDeliversEachRequestedBlobOnceInPackOrder() {
    try (EncryptedRepository repo = init()) {
      List<ObjectId> ids = new ArrayList<>();
      Map<ObjectId, byte[]> data = new HashMap<>();
      for (int i = 0; i < 30; i++) {
        byte[] d = text(20_000 + i, 200 + i);
        ObjectId id = add(repo, BlobType.DATA, d);
        ids.add(id);
        data.put(id, d);
      }
      repo.flush();
      List<ObjectId> request = new ArrayList<>(ids);
      request.addAll(ids.subList(0, 5));
      java.util.Collections.reverse(request);
      List<ObjectId> got = new ArrayList<>();
      repo.readBlobs(request, (id, buf, off, len) -> {
        assertThat(java.util.Arrays.copyOfRange(buf, off, off + len)).isEqualTo(data.get(id));
        got.add(id);
      });
      assertThat(got).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void concurrentAddersAndSmallBudgetsStillStoreEverything() throws Exception {
    RepositoryOptions opts = options().maxInFlightPacks(1).maxInFlightBlobBytes(1024 * 1024).workers(2)
        .uploadThreads(1).build();
    Map<ObjectId, byte[]> all = new java.util.concurrent.ConcurrentHashMap<>();
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, opts)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            // overlapping seeds across threads: the same blob added concurrently
            byte[] d = text(30_000, (thread % 2) * 1000 + i);
            all.put(add(repo, BlobType.DATA, d), d);
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      repo.flush();
      assertThat(repo.stats().addedBlobs()).isEqualTo(all.size());
    }
    try (EncryptedRepository repo = open()) {
      assertThat(repo.stats().dataBlobs()).isEqualTo(all.size());
      all.forEach((id, d) -> assertThat(repo.readBlob(id)).isEqualTo(d));
    }
  }

  @Test
  void injectedExecutorRunsTheWork() {
    RepositoryOptions opts = options().executor(Runnable::run).build();
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, opts)) {
      byte[] d = text(50_000, 9);
      ObjectId id = add(repo, BlobType.DATA, d);
      repo.flush();
      assertThat(repo.readBlob(id)).isEqualTo(d);
    }
  }

  @Test
  void addersOnTheInjectedExecutorsOwnThreadsDoNotDeadlock() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      RepositoryOptions opts = options().executor(single).maxInFlightBlobBytes(1024 * 1024).build();
      Map<ObjectId, byte[]> all = new HashMap<>();
      try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, opts)) {
        // the executor's only thread is the adder: packing jobs queued behind it can only run if
        // the adder helps while it waits for budget
        single.submit(() -> {
          for (int i = 0; i < 60; i++) {
            byte[] d = text(100_000, 400 + i);
            all.put(add(repo, BlobType.DATA, d), d);
          }
        }).get(2, java.util.concurrent.TimeUnit.MINUTES);
        repo.flush();
        all.forEach((id, d) -> assertThat(repo.readBlob(id)).isEqualTo(d));
      }
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  void uploadFailuresSurfaceFromFlush(@TempDir Path tmp) throws IOException {
    LocalStorage st = storage(tmp);
    try (EncryptedRepository repo = EncryptedRepository.init(st, PASSPHRASE, options().build())) {
      Files.writeString(tmp.resolve("data"), "not a directory");
      add(repo, BlobType.DATA, text(10_000, 10));
      assertThatThrownBy(repo::flush).isInstanceOf(StorageException.class).hasMessageContaining("data/");
    }
  }

  @Test
  void longRunsWriteIndexFilesBeforeFlushSoAnInterruptedBackupIsReused() throws InterruptedException {
    RepositoryOptions opts = options().packSize(64 * 1024).workers(1).build();
    List<ObjectId> ids = new ArrayList<>();
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, opts)) {
      for (int i = 0; i < EncryptedRepository.INDEX_EVERY_PACKS + 4; i++) {
        ids.add(add(repo, BlobType.DATA, random(70_000, 300 + i))); // one blob fills a pack
      }
      // no flush, as if the process died here: wait (up to a minute) for the background index write
      for (int i = 0; i < 600 && repo.list(FileType.INDEX).isEmpty(); i++) {
        Thread.sleep(100);
      }
      try (EncryptedRepository second = EncryptedRepository.open(storage(dir), PASSPHRASE, opts)) {
        long known = ids.stream().filter(second::hasBlob).count();
        assertThat(known).isGreaterThanOrEqualTo(EncryptedRepository.INDEX_EVERY_PACKS);
        ids.stream().filter(second::hasBlob).forEach(id -> assertThat(second.readBlob(id)).hasSize(70_000));
      }
    }
  }

  @Test
  void packsStayWithinThePackSizeUnlessOneBlobIsLarger() throws IOException {
    Map<ObjectId, byte[]> blobs = new LinkedHashMap<>();
    try (EncryptedRepository repo = init()) { // pack size 256 KiB
      for (int i = 0; i < 30; i++) {
        byte[] data = random(40_000 + 7_000 * i, 500 + i); // 40..243 KB, incompressible
        blobs.put(add(repo, BlobType.DATA, data), data);
      }
      byte[] big = random(600_000, 499);
      ObjectId bigId = add(repo, BlobType.DATA, big);
      repo.flush();
      long limit = 256 * 1024 + 64 * 1024;
      for (ObjectId pack : repo.packs()) {
        long size = Files.size(dir.resolve(ObjectStore.name(FileType.PACK, pack)));
        List<BlobLocation> contents = repo.packContents(pack);
        if (contents.stream().anyMatch(l -> l.id().equals(bigId))) {
          assertThat(contents).as("a blob larger than a pack is alone in its pack").hasSize(1);
        } else {
          assertThat(size).as("pack " + pack).isLessThanOrEqualTo(limit);
        }
      }
      assertThat(repo.readBlob(bigId)).isEqualTo(big);
      blobs.forEach((id, data) -> assertThat(repo.readBlob(id)).isEqualTo(data));
    }
  }

  @Test
  void checkpointIndexesUploadedPacksWithoutFlushing() throws InterruptedException {
    RepositoryOptions opts = options().packSize(64 * 1024).workers(1).build();
    List<ObjectId> ids = new ArrayList<>();
    try (EncryptedRepository repo = EncryptedRepository.init(storage(dir), PASSPHRASE, opts)) {
      for (int i = 0; i < 4; i++) {
        ids.add(add(repo, BlobType.DATA, random(70_000, 700 + i))); // one blob fills a pack
      }
      // wait (up to a minute) until some packs are uploaded, then checkpoint; no flush, as if killed after
      for (int i = 0; i < 600 && repo.stats().uploadedPackBytes() == 0; i++) {
        Thread.sleep(100);
      }
      repo.checkpoint();
      try (EncryptedRepository second = EncryptedRepository.open(storage(dir), PASSPHRASE, opts)) {
        List<ObjectId> known = ids.stream().filter(second::hasBlob).toList();
        assertThat(known).isNotEmpty();
        known.forEach(id -> assertThat(second.readBlob(id)).hasSize(70_000));
      }
    }
  }

  @Test
  void blobsLargerThanAPackAndTheChunkerMaximumAreStored() {
    try (EncryptedRepository repo = init()) {
      byte[] bigTree = text(1_500_000, 11); // pack size 256 KiB, chunker max 256 KiB in the fixture
      byte[] bigRandom = random(1_200_000, 11);
      ObjectId t = add(repo, BlobType.TREE, bigTree);
      ObjectId r = add(repo, BlobType.DATA, bigRandom);
      repo.flush();
      assertThat(repo.readBlob(t)).isEqualTo(bigTree);
      assertThat(repo.readBlob(r)).isEqualTo(bigRandom);
      assertThat(repo.checkPack(repo.lookup(t).orElseThrow().pack()).ok()).isTrue();
    }
  }

  @Test
  void unknownBlobIsAnIntegrityError() {
    try (EncryptedRepository repo = init()) {
      ObjectId id = ObjectId.of(new byte[32]);
      assertThat(repo.hasBlob(id)).isFalse();
      assertThatThrownBy(() -> repo.readBlob(id)).isInstanceOf(IntegrityException.class)
          .hasMessageContaining("not in the index");
    }
  }

  @Test
  void configRecordsChunkerAndCompression() {
    try (EncryptedRepository repo = init()) {
      RepositoryConfig c = repo.config();
      assertThat(c.version()).isEqualTo(1);
      assertThat(c.chunker()).isEqualTo(options().build().chunker());
      assertThat(c.compression()).isEqualTo(Compression.DEFAULT);
      assertThat(repo.newChunker().params()).isEqualTo(c.chunker());
    }
    try (EncryptedRepository repo = open()) {
      assertThat(repo.config().chunker().avg()).isEqualTo(64 * 1024);
    }
  }
}
