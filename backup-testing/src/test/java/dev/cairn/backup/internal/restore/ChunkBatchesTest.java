package dev.cairn.backup.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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

  /** The message of the {@link IntegrityException} reading {@code id} on its own fails with. */
  private String failureReadingAlone(ObjectId id) {
    try {
      repo.readBlob(id);
    } catch (IntegrityException e) {
      return e.getMessage();
    }
    throw new AssertionError("reading " + id + " alone did not fail");
  }

  private int refs() {
    return files.values().stream().mapToInt(List::size).sum();
  }

  @Test
  void filesOpenedInOrderTakeAFewReadsAndLeaveNothingLoaded() throws IOException {
    ChunkBatches batches = new ChunkBatches(repo, files);
    long before = remote.calls(Operation.GET);
    for (var f : files.entrySet()) {
      int first = batches.open(f.getKey());
      assertThat(first).isGreaterThanOrEqualTo(0);
      for (int k = 0; k < f.getValue().size(); k++) {
        ObjectId id = f.getValue().get(k);
        assertThat(batches.take(first + k, id)).as(f.getKey() + " chunk " + k).isEqualTo(content.get(id));
      }
    }
    long reads = remote.calls(Operation.GET) - before;
    // 344 chunk references, 5.3 MB: one batch of about 4 MiB plus the rest, a ranged read per pack run
    assertThat(batches.batchCount()).isLessThanOrEqualTo(3);
    assertThat(reads).isLessThanOrEqualTo(20).isLessThan(refs() / 10);
    assertThat(batches.loadedBytes()).isZero();
  }

  @Test
  void filesOpenedOutOfOrderOrNeverStayWithinTheMemoryBound() throws IOException {
    long batch = 64 * 1024;
    long retained = 256 * 1024;
    ChunkBatches batches = new ChunkBatches(repo, files, batch, 128 * 1024, retained);
    assertThat(batches.batchCount()).isGreaterThan(50);
    List<String> paths = new ArrayList<>(files.keySet());
    java.util.Collections.reverse(paths);
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
    BlobLocation loc = repo.lookup(damaged).orElseThrow();
    String pack = storage.list("data/").stream().map(o -> o.name()).filter(n -> n.contains(loc.pack().hex()))
        .findFirst().orElseThrow();
    byte[] bytes;
    try (InputStream in = storage.get(pack)) {
      bytes = in.readAllBytes();
    }
    bytes[(int) loc.offset() + loc.length() / 2] ^= 1;
    storage.put(pack, ByteBuffer.wrap(bytes));
    String alone = failureReadingAlone(damaged);

    ChunkBatches batches = new ChunkBatches(repo, files);
    for (var f : files.entrySet()) {
      int first = batches.open(f.getKey());
      for (int k = 0; k < f.getValue().size(); k++) {
        ObjectId id = f.getValue().get(k);
        int ref = first + k;
        if (id.equals(damaged)) {
          assertThatThrownBy(() -> batches.take(ref, id)).isInstanceOf(IntegrityException.class).hasMessage(alone);
        } else {
          assertThat(batches.take(ref, id)).isEqualTo(content.get(id)); // its batch neighbours are fine
        }
      }
    }
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
