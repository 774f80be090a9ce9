package dev.cairn.backup.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restore's batched chunk reads: the same bytes as reading chunk by chunk, a few reads for many
 * small files, memory bounded whatever order files are opened in, and the errors of chunk by chunk.
 */
class ChunkBatchesTest {
  private static final Secret PASSPHRASE = Secret.of("batches");
  private final InMemoryStorage storage = new InMemoryStorage();
  private final FaultyStorage remote = new FaultyStorage(storage).parallelReads(8);
  private final Map<ObjectId, byte[]> content = new HashMap<>();
  private final LinkedHashMap<String, List<ObjectId>> files = new LinkedHashMap<>();
  private EncryptedRepository repo;

  @BeforeEach
  void repositoryWithSmallAndLargeFiles() {
    RepositoryOptions options = RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1))
        .packSize(1 << 20).workers(2).hostname("test-host").build();
    repo = EncryptedRepository.init(remote, PASSPHRASE, options);
    Random r = new Random(7);
    for (int f = 0; f < 300; f++) {
      files.put("small/" + f, List.of(add(random(r, 2_000 + r.nextInt(20_000)))));
    }
    List<ObjectId> big = new ArrayList<>();
    for (int c = 0; c < 40; c++) {
      big.add(add(random(r, 50_000)));
    }
    files.put("big", big);
    files.put("empty", List.of());
    files.put("copy-of-small-5", files.get("small/5"));
    files.put("twice", List.of(big.get(3), big.get(3)));
    repo.flush();
  }

  @AfterEach
  void close() {
    repo.close();
  }

  private FaultyStorage slow;
  private EncryptedRepository slowRepo;
  private final LinkedHashMap<String, List<ObjectId>> many = new LinkedHashMap<>();
  private final Map<ObjectId, byte[]> slowContent = new HashMap<>();

  /** A repository of 40 files of one 30 kB chunk each, on storage answering each read after {@code millis}. */
  private void slowRepository(int millis) {
    slow = new FaultyStorage(new InMemoryStorage()).parallelReads(2);
    RepositoryOptions options = RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1))
        .packSize(256 * 1024).workers(2).hostname("test-host").build();
    slowRepo = EncryptedRepository.init(slow, PASSPHRASE, options);
    Random r = new Random(3);
    for (int f = 0; f < 40; f++) {
      byte[] data = random(r, 30_000);
      ObjectId id = slowRepo.chunkId(data, 0, data.length);
      slowRepo.addBlob(BlobType.DATA, id, data, 0, data.length);
      many.put("f" + f, List.of(id));
      slowContent.put(id, data);
    }
    slowRepo.flush();
    slow.latency(Operation.GET, java.time.Duration.ofMillis(millis));
  }

  private static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  private ObjectId add(byte[] data) {
    ObjectId id = repo.chunkId(data, 0, data.length);
    repo.addBlob(BlobType.DATA, id, data, 0, data.length);
    content.put(id, data);
    return id;
  }

  /** Each chunk that fails to read on its own, with its exception's class and message. */
  private Map<ObjectId, String> failuresReadingAlone() {
    Map<ObjectId, String> failures = new HashMap<>();
    for (ObjectId id : content.keySet()) {
      try {
        repo.readBlob(id);
      } catch (RuntimeException e) {
        failures.put(id, e.getClass().getName() + ": " + e.getMessage());
      }
    }
    return failures;
  }

  /** Takes every chunk in list order: each is its content, or fails as reading it alone fails. */
  private void assertEveryChunkAsReadAlone(ChunkBatches batches, Map<ObjectId, String> failures) throws IOException {
    for (var f : files.entrySet()) {
      int first = batches.open(f.getKey());
      for (int k = 0; k < f.getValue().size(); k++) {
        ObjectId id = f.getValue().get(k);
        int ref = first + k;
        if (failures.containsKey(id)) {
          assertThatThrownBy(() -> batches.take(ref, id))
              .satisfies(e -> assertThat(e.getClass().getName() + ": " + e.getMessage()).isEqualTo(failures.get(id)));
        } else {
          assertThat(batches.take(ref, id)).as(f.getKey() + " chunk " + k).isEqualTo(content.get(id));
        }
      }
    }
  }

  /** The message of the {@link IntegrityException} reading {@code id} on its own fails with. */
  private String failureReadingAlone(ObjectId id) {
    try {
      repo.readBlob(id);
    } catch (IntegrityException e) {
      return e.getMessage();
    }
    throw new AssertionError("reading " + id + " alone did not fail");
  }

  private void readAll(ChunkBatches batches, java.util.Collection<String> paths) throws IOException {
    for (String path : paths) {
      int first = batches.open(path);
      List<ObjectId> ids = files.get(path);
      for (int k = 0; k < ids.size(); k++) {
        assertThat(batches.take(first + k, ids.get(k))).as(path + " chunk " + k).isEqualTo(content.get(ids.get(k)));
      }
    }
  }

  private long size(List<ObjectId> ids) {
    return ids.stream().mapToLong(id -> content.get(id).length).sum();
  }

  private long contentBytes() {
    return content.values().stream().mapToLong(b -> b.length).sum();
  }

  private int refs() {
    return files.values().stream().mapToInt(List::size).sum();
  }

  @Test
  void filesOpenedInOrderTakeAFewReadsAndLeaveNothingLoaded() throws IOException {
    ChunkBatches batches = new ChunkBatches(repo, files);
    long before = remote.calls(Operation.GET);
    readAll(batches, files.keySet());
    long reads = remote.calls(Operation.GET) - before;
    // 344 chunk references, 5.3 MB: one batch of about 4 MiB plus the rest, a ranged read per pack run
    assertThat(batches.batchCount()).isLessThanOrEqualTo(3);
    assertThat(reads).isLessThanOrEqualTo(20).isLessThan(refs() / 10);
    assertThat(batches.loadedBytes()).isZero();
  }

  @Test
  void aBatchSpreadOverSeveralPacksReadsItsRunsAtTheSameTime() throws Exception {
    List<ObjectId> ids = new ArrayList<>(content.keySet());
    java.util.Set<ObjectId> packs = new java.util.HashSet<>();
    ids.forEach(id -> packs.add(repo.lookup(id).orElseThrow().pack()));
    assertThat(packs).hasSizeGreaterThan(2); // 1 MiB packs, 5.3 MB
    remote.latency(Operation.GET, java.time.Duration.ofMillis(50));
    var future = repo.readBlobsAsync(ids, ChunkBatches.MAX_RUN);
    Map<ObjectId, byte[]> read = future.get();
    // merged once: every chunk taken from a batch asks for its map again
    assertThat(future.get()).isSameAs(read);
    // a round trip per run at the same time, not one after another
    assertThat(remote.peakConcurrency(Operation.GET)).isGreaterThanOrEqualTo(2);
    assertThat(read).hasSize(ids.size());
    ids.forEach(id -> assertThat(read.get(id)).isEqualTo(content.get(id)));
  }

  @Test
  void aFailedRunCancelsTheRunsOfItsBatchNotStarted() throws Exception {
    slowRepository(100); // 40 chunks in 5 packs of 256 KiB, two load threads
    List<ObjectId> ids = many.values().stream().map(l -> l.get(0)).toList();
    try {
      slow.failNext(Operation.GET, 1);
      long before = slow.calls(Operation.GET);
      var read = slowRepo.readBlobsAsync(ids, ChunkBatches.MAX_RUN);
      assertThatThrownBy(read::get).isInstanceOf(java.util.concurrent.ExecutionException.class)
          .hasCauseInstanceOf(dev.cairn.backup.StorageException.class);
      Thread.sleep(500); // time for the queued runs to start, had they not been cancelled
      // the run that failed, and the one beside it if it started first; not the three queued (5 before)
      assertThat(slow.calls(Operation.GET) - before).isBetween(1L, 2L);
    } finally {
      slowRepo.close();
    }
  }

  @Test
  void filesOpenedOutOfOrderOrNeverStayWithinTheMemoryBound() throws IOException {
    long batch = 64 * 1024;
    long retained = 256 * 1024;
    ChunkBatches batches = new ChunkBatches(repo, files, batch, 128 * 1024, retained);
    assertThat(batches.batchCount()).isGreaterThan(50);
    List<String> paths = new ArrayList<>(files.keySet());
    java.util.Collections.reverse(paths);
    long bytesBefore = remote.bytes(Operation.GET);
    int opened = 0;
    for (int i = 0; i < paths.size(); i++) {
      if (i % 3 == 0) {
        continue; // never opened: its references are never taken
      }
      String path = paths.get(i);
      int first = batches.open(path);
      List<ObjectId> ids = files.get(path);
      for (int k = 0; k < ids.size(); k++) {
        assertThat(batches.take(first + k, ids.get(k))).as(path + " chunk " + k).isEqualTo(content.get(ids.get(k)));
        // one batch asked for, beyond the bound (its chunks can be up to a batch over the limit)
        assertThat(batches.loadedBytes()).isLessThanOrEqualTo(retained + 2 * batch);
      }
      opened++;
    }
    assertThat(opened).isGreaterThan(200);
    // no thrashing: the whole content (5.3 MB) is read about once, not once per file
    assertThat(remote.bytes(Operation.GET) - bytesBefore).isLessThan(contentBytes() * 3 / 2);
  }

  @Test
  void largestFilesFirstReadsAboutTheContentOnce() throws IOException {
    // the order MySqlRestorer opens data files in
    ChunkBatches batches = new ChunkBatches(repo, files);
    List<String> paths = new ArrayList<>(files.keySet());
    paths.sort(java.util.Comparator.comparingLong((String p) -> size(files.get(p))).reversed());
    long bytesBefore = remote.bytes(Operation.GET);
    readAll(batches, paths);
    assertThat(remote.bytes(Operation.GET) - bytesBefore).isLessThan(contentBytes() * 3 / 2);
    assertThat(batches.loadedBytes()).isZero();
  }

  @Test
  void aFailedReadOfABatchFallsBackToReadingItsChunksAlone() throws IOException {
    ChunkBatches batches = new ChunkBatches(repo, files);
    remote.failNext(Operation.GET, 1);
    long before = remote.calls(Operation.GET);
    readAll(batches, files.keySet()); // the batch's read failed: the chunk asked for read alone, the batch again
    assertThat(batches.loadedBytes()).isZero();
    assertThat(remote.calls(Operation.GET) - before).isLessThanOrEqualTo(22); // not one per chunk
  }

  @Test
  void aMissingPackFailsOnlyTheChunksInIt() throws IOException {
    String pack = storage.list("data/").get(0).name();
    storage.delete(pack);
    Map<ObjectId, String> alone = failuresReadingAlone();
    assertThat(alone).isNotEmpty().hasSizeLessThan(content.size() / 2);
    assertEveryChunkAsReadAlone(new ChunkBatches(repo, files), alone);
  }

  @Test
  void closingEndsTheReadsNotStarted() throws Exception {
    slowRepository(200);
    // batches of one file: a take reads its batch and 4 ahead, two at a time
    ChunkBatches batches = new ChunkBatches(slowRepo, many, 30_000, 1 << 20, 4 << 20);
    java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      long before = slow.calls(Operation.GET);
      var take = thread.submit(() -> batches.take(batches.open("f0"), many.get("f0").get(0)));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (slow.calls(Operation.GET) - before < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5); // until both load threads are in their reads, three more queued behind them
      }
      assertThat(slow.calls(Operation.GET) - before).isEqualTo(2);
      batches.close(); // the restore is over
      assertThat(take.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(slowContent.get(many.get("f0").get(0)));
      Thread.sleep(600); // time for queued reads to run, if they were still queued
      // the two reads running, and f0 read alone (its batch's read was cancelled); not the three queued
      assertThat(slow.calls(Operation.GET) - before).isEqualTo(3);
      assertThat(batches.loadedBytes()).isZero();
    } finally {
      thread.shutdownNow();
      slowRepo.close();
    }
  }

  @Test
  void closingTheRepositoryWhileATakeWaitsEndsTheWait() throws Exception {
    slowRepository(300);
    // batches of one file, all read ahead: two reads run, the rest wait in the load pool's queue
    ChunkBatches batches = new ChunkBatches(slowRepo, many, 30_000, 1 << 20, 4 << 20);
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = threads.submit(() -> batches.take(batches.open("f0"), many.get("f0").get(0)));
      Thread.sleep(100);
      var queued = threads.submit(() -> batches.take(batches.open("f1"), many.get("f1").get(0)));
      var later = threads.submit(() -> batches.take(batches.open("f30"), many.get("f30").get(0)));
      Thread.sleep(100);
      slowRepo.close();
      for (var f : List.of(first, queued, later)) {
        try {
          f.get(10, java.util.concurrent.TimeUnit.SECONDS); // a result or an error, but an answer
        } catch (java.util.concurrent.ExecutionException answered) {
          // the repository is closed: failing is fine, waiting forever is not
        }
      }
    } finally {
      threads.shutdownNow();
      slowRepo.close();
    }
  }

  @Test
  void aFileClosedEarlyGivesUpItsReferences() throws IOException {
    ChunkBatches batches = new ChunkBatches(repo, files);
    for (var f : files.entrySet()) {
      int first = batches.open(f.getKey());
      if (!f.getValue().isEmpty()) {
        ObjectId id = f.getValue().get(0);
        assertThat(batches.take(first, id)).isEqualTo(content.get(id));
      }
      batches.giveUp(first + Math.min(1, f.getValue().size()), first + f.getValue().size());
    }
    assertThat(batches.loadedBytes()).isZero();
  }

  @Test
  void aSecondOpeningOfAFileReadsChunkByChunk() {
    ChunkBatches batches = new ChunkBatches(repo, files);
    assertThat(batches.open("small/1")).isGreaterThanOrEqualTo(0);
    assertThat(batches.open("small/1")).isEqualTo(-1);
    assertThat(batches.open("not/restored")).isEqualTo(-1);
  }

  @Test
  void aDamagedChunkFailsItsOwnFileOnlyWithTheMessageOfReadingItAlone() throws IOException {
    ObjectId damaged = files.get("small/10").get(0);
    Damage.flipBitIn(storage, repo.lookup(damaged).orElseThrow());
    Map<ObjectId, String> alone = failuresReadingAlone();
    assertThat(alone.keySet()).containsExactly(damaged);
    assertThat(alone.get(damaged)).startsWith(IntegrityException.class.getName());
    ChunkBatches batches = new ChunkBatches(repo, files);
    assertEveryChunkAsReadAlone(batches, alone); // its batch neighbours are fine
    assertThat(batches.loadedBytes()).isZero();
  }

  @Test
  void aChunkMissingFromTheIndexFailsAsReadingItAlone() throws IOException {
    ObjectId missing = repo.chunkId(new byte[] {1, 2, 3}, 0, 3);
    files.put("dangling", List.of(missing));
    String alone = failureReadingAlone(missing);
    ChunkBatches batches = new ChunkBatches(repo, files);
    int first = batches.open("dangling");
    assertThatThrownBy(() -> batches.take(first, missing)).isInstanceOf(IntegrityException.class).hasMessage(alone);
  }
}
