package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a repository on storage with a round trip per read: index files and snapshots, one of each
 * per backup, are read several at a time (bounded), with the same results and errors as one by one.
 */
class SlowStorageTest {
  private static final int BACKUPS = 12;
  private final InMemoryStorage storage = new InMemoryStorage();
  private List<Snapshot> expected;

  @TempDir
  Path tmp;

  @BeforeEach
  void twelveBackups() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    try (Repository repo = TestRepos.init(storage)) {
      for (int i = 0; i < BACKUPS; i++) {
        Files.writeString(src.resolve("changing.txt"), "version " + i);
        repo.backup(List.of(FileSource.of(src)));
      }
      expected = repo.snapshots();
    }
    assertThat(expected).hasSize(BACKUPS);
    assertThat(names("index/")).hasSizeGreaterThanOrEqualTo(BACKUPS);
  }

  private List<String> names(String prefix) throws IOException {
    return storage.list(prefix).stream().map(o -> o.name()).toList();
  }

  @Test
  void indexFilesAndSnapshotsAreReadSeveralAtATime() {
    FaultyStorage slow = new FaultyStorage(storage).latency(Operation.GET, Duration.ofMillis(40)).parallelReads(8);

    try (Repository repo = TestRepos.open(slow)) {
      assertThat(repo.snapshots()).isEqualTo(expected);
    }

    // 2 x 12 objects, 8 at a time at most: overlapping round trips, and no flood of the storage
    assertThat(slow.peakConcurrency(Operation.GET)).isBetween(2, 8);
  }

  @Test
  void treesAreReadALevelAtATimeNotOneRoundTripPerDirectory() throws IOException {
    Path deep = Files.createDirectories(tmp.resolve("deep"));
    int directories = 4 + 4 * 4 + 4 * 4 * 3;
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        for (int c = 0; c < 3; c++) {
          Path dir = Files.createDirectories(deep.resolve("a" + a).resolve("b" + b).resolve("c" + c));
          Files.writeString(dir.resolve("f.txt"), a + "/" + b + "/" + c); // distinct trees, no sharing
          byte[] data = new byte[100_000];
          new java.util.Random(a * 100 + b * 10 + c).nextBytes(data);
          Files.write(dir.resolve("data.bin"), data); // file data in the packs the trees share
        }
      }
    }
    InMemoryStorage fresh = new InMemoryStorage();
    List<EntryMetadata> expectedEntries;
    try (Repository repo = TestRepos.init(fresh)) {
      repo.backup(List.of(FileSource.of(deep)));
      Snapshot s = repo.snapshots().get(0);
      expectedEntries = repo.entries(s, s.sources().get(0).name(), "");
    }
    List<String> onDisk;
    try (var walk = Files.walk(deep)) {
      onDisk = walk.filter(p -> !p.equals(deep)).map(p -> deep.relativize(p).toString().replace('\\', '/')).sorted()
          .toList();
    }
    assertThat(expectedEntries).extracting(EntryMetadata::path).containsExactlyElementsOf(onDisk);
    assertThat(onDisk).hasSize(directories + 2 * 4 * 4 * 3);

    FaultyStorage slow = new FaultyStorage(fresh).latency(Operation.GET, Duration.ofMillis(20)).parallelReads(8);
    try (Repository repo = TestRepos.open(slow)) {
      Snapshot s = repo.snapshots().get(0);
      long before = slow.calls(Operation.GET);
      long bytesBefore = slow.bytes(Operation.GET);
      assertThat(repo.entries(s, s.sources().get(0).name(), "")).isEqualTo(expectedEntries);
      // one ranged read per level of the tree (root, a*, b*, c*) and pack run, not one per directory
      assertThat(slow.calls(Operation.GET) - before).isLessThanOrEqualTo(8).isLessThan(directories);
      // and the trees only, not the 4.8 MB of file data in the same packs
      assertThat(slow.bytes(Operation.GET) - bytesBefore).isLessThan(300_000);

      // a structural verify reads the trees the same way
      long beforeVerify = slow.calls(Operation.GET);
      assertThat(repo.verify(false).ok()).isTrue();
      assertThat(slow.calls(Operation.GET) - beforeVerify).isLessThanOrEqualTo(12); // 69 one by one
    }
  }

  /**
   * An incremental backup reads the parent snapshot's trees a directory at a time, but each read takes
   * the trees the walk needs next along: on remote storage, where every read is a round trip, the
   * second backup of an unchanged tree of 3,240 directories took 1,700 reads (one per directory below
   * the first level, as only a directory's siblings were read along with it, never its cousins); when
   * the whole parent was read up front it took 13, and reading what the walk needs next it takes 136.
   */
  @Test
  void anIncrementalBackupReadsTheParentTreesInFewRoundTrips() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("wide"));
    int directories = 0;
    for (int a = 0; a < 40; a++) {
      for (int b = 0; b < 40; b++) {
        Path dir = Files.createDirectories(src.resolve(String.format("a%02d/b%02d/c", a, b)));
        Files.writeString(dir.resolve("f.txt"), a + "/" + b);
        directories += 2;
      }
      directories++;
    }
    InMemoryStorage fresh = new InMemoryStorage();
    try (Repository repo = TestRepos.init(fresh)) {
      repo.backup(List.of(FileSource.of(src).name("wide")));
    }
    FaultyStorage counted = new FaultyStorage(fresh);
    try (Repository repo = TestRepos.open(counted)) {
      long before = counted.calls(Operation.GET);
      var report = repo.backup(List.of(FileSource.of(src).name("wide")));
      long reads = counted.calls(Operation.GET) - before;
      assertThat(report.bytesRead()).as("nothing changed: every file comes from the parent").isZero();
      // the trees up to 256 at a time: 30 reads here (13 when the whole parent was read a level at a time,
      // 1,700 with read-ahead among siblings only), never one per directory
      assertThat(reads).as("reads for an incremental backup of %d directories", directories)
          .isLessThan(directories / 64);
    }
  }

  @Test
  void verifyReportsTheSameDamageWhetherTreesArePrefetchedOrNot() throws IOException {
    // every pack damaged after its version and salt: every snapshot's trees are unreadable, and both ways
    // of reading trees must report exactly the same
    for (String pack : names("data/")) {
      byte[] bytes;
      try (var in = storage.get(pack)) {
        bytes = in.readAllBytes();
      }
      for (int at = 33; at < bytes.length; at++) {
        bytes[at] ^= 0x20;
      }
      storage.put(pack, ByteBuffer.wrap(bytes));
    }
    dev.cairn.backup.VerifyReport oneByOne;
    try (Repository repo = TestRepos.open(storage)) {
      oneByOne = repo.verify(false);
    }
    dev.cairn.backup.VerifyReport prefetched;
    try (Repository repo = TestRepos.open(new FaultyStorage(storage).parallelReads(8))) {
      prefetched = repo.verify(false);
    }
    assertThat(oneByOne.ok()).isFalse();
    assertThat(oneByOne.damagedSnapshots()).hasSize(BACKUPS);
    assertThat(prefetched.ok()).isFalse();
    assertThat(prefetched.damagedSnapshots()).containsExactlyElementsOf(oneByOne.damagedSnapshots());
    assertThat(prefetched.damagedPaths()).containsExactlyElementsOf(oneByOne.damagedPaths());
    assertThat(prefetched.problems()).containsExactlyElementsOf(oneByOne.problems());
    assertThat(prefetched.blobs()).isEqualTo(oneByOne.blobs());
    assertThat(prefetched.packs()).isEqualTo(oneByOne.packs());
  }

  @Test
  void damagedSnapshotsAreLeftOutAndNamedWithParallelReads() throws IOException {
    List<String> snapshots = names("snapshots/");
    String damaged = snapshots.get(3);
    String alsoDamaged = snapshots.get(9);
    storage.put(damaged, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    storage.put(alsoDamaged, ByteBuffer.wrap(new byte[] {4, 5, 6}));

    try (Repository repo = TestRepos.open(new FaultyStorage(storage).latency(Operation.GET, Duration.ofMillis(5)).parallelReads(8))) {
      // listed without them, and verify names both
      assertThat(repo.snapshots()).hasSize(BACKUPS - 2);
      assertThat(repo.verify(false).damagedSnapshots()).extracting(id -> "snapshots/" + id.hex())
          .containsExactlyInAnyOrder(damaged, alsoDamaged);
      // prune refuses, naming the first in id order
      assertThatThrownBy(() -> repo.prune(dev.cairn.backup.PruneOptions.DEFAULTS))
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining(damaged.substring("snapshots/".length(), "snapshots/".length() + 8));

      // a backup does not need them: it warns, takes the newest readable snapshot as parent and goes on
      repo.backup(List.of(FileSource.of(tmp.resolve("src"))));
    }
    assertThat(names("snapshots/")).hasSize(BACKUPS + 1);
  }

  @Test
  void damagedIndexFilesAreSkippedAndNamedWithParallelReads() throws IOException {
    List<String> indexes = names("index/");
    String damaged = indexes.get(2);
    String last = indexes.get(indexes.size() - 1);
    storage.put(damaged, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    storage.put(last, ByteBuffer.wrap(new byte[] {4, 5, 6}));

    // the open no longer fails: the packs the two files listed are indexed from their headers
    try (Repository repo = TestRepos.open(new FaultyStorage(storage).latency(Operation.GET, Duration.ofMillis(5))
        .parallelReads(8))) {
      var report = repo.verify(true);
      assertThat(report.problems()).hasSize(2).anyMatch(p -> p.contains(damaged)).anyMatch(p -> p.contains(last));
      assertThat(report.damagedPacks()).isEmpty();
      assertThat(report.damagedSnapshots()).isEmpty();
      assertThat(repo.repairIndex(false).damagedIndexFiles()).containsExactlyInAnyOrder(damaged, last);
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }
}
