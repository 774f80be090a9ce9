package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restoring from storage with a round trip per read (S3, SFTP): a thousand small files cost a few
 * dozen ranged reads, not one each, and the files are the same.
 */
class RemoteRestoreTest {
  private static final int SMALL_FILES = 1000;
  private final InMemoryStorage storage = new InMemoryStorage();
  private Path src;
  private Snapshot snapshot;

  @TempDir
  Path tmp;

  @BeforeEach
  void backupOfSmallAndLargeFiles() throws IOException {
    src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 0, 0); // links, empty files and directories, modes, times
    Random r = new Random(1);
    for (int d = 0; d < 20; d++) {
      Path dir = Files.createDirectories(src.resolve("d" + d));
      for (int f = 0; f < SMALL_FILES / 20; f++) {
        byte[] b = new byte[1000 + r.nextInt(30_000)];
        r.nextBytes(b);
        Files.write(dir.resolve("f" + f), b);
      }
    }
    for (int i = 0; i < 3; i++) {
      byte[] b = new byte[6 << 20];
      r.nextBytes(b);
      Files.write(src.resolve("big" + i), b);
    }
    Files.copy(src.resolve("d3/f7"), src.resolve("copy-of-d3-f7"));
    Files.write(src.resolve("empty"), new byte[0]);
    // two pack writers whatever the machine: how files spread over packs decides the read count
    try (Repository repo = TestRepos.builder(storage).workers(2).init()) {
      repo.backup(List.of(FileSource.of(src)));
      snapshot = repo.snapshots().get(0);
    }
  }

  @Test
  void aThousandSmallFilesTakeAFewDozenReads() throws IOException {
    FaultyStorage slow = new FaultyStorage(storage).latency(Operation.GET, Duration.ofMillis(20)).parallelReads(8);
    Path out = tmp.resolve("out");
    try (Repository repo = TestRepos.open(slow)) {
      long before = slow.calls(Operation.GET);
      repo.restore(RestoreRequest.builder().snapshot(snapshot.id()).destination(out).build());
      long reads = slow.calls(Operation.GET) - before;
      // 1,000 files and 18 MiB of large ones: 1,040 reads chunk by chunk; now a read per run of a batch
      assertThat(reads).isLessThanOrEqualTo(60);
      // the load threads and the restore threads reading on their own: no flood of the storage
      assertThat(slow.peakConcurrency(Operation.GET)).isLessThanOrEqualTo(8 + 4);
    }
    TestTrees.assertSameTree(src, out);
  }

  /** A restorer of its own, as the MySQL one: reads {@code paths}, in that order, into {@code read}. */
  private static Restorer reading(List<String> paths, java.util.Map<String, byte[]> read) {
    return new Restorer() {
      @Override
      public String type() {
        return "in-memory";
      }

      @Override
      public RestoreResult restore(RestoreInput input) throws IOException {
        for (String path : paths) {
          try (var in = input.open(path)) {
            read.put(path, in.readAllBytes());
          }
        }
        return new RestoreResult(input.sourceName(), "memory", paths.size(), 0, List.of());
      }
    };
  }

  @Test
  void aRestorerOfItsOwnReadsOnlyTheFilesItOpens() throws IOException {
    // a restorer like the MySQL one: opens a few of the files, in its own order; no batches read ahead
    FaultyStorage slow = new FaultyStorage(storage).parallelReads(8);
    List<String> chosen = List.of("d3/f7", "big1", "d19/f2");
    java.util.Map<String, byte[]> read = new java.util.TreeMap<>();
    Restorer oneOfEach = reading(chosen, read);
    try (Repository repo = TestRepos.open(slow)) {
      long bytes = slow.bytes(Operation.GET);
      repo.restore(RestoreRequest.builder().snapshot(snapshot.id()).restorer(snapshot.sources().get(0).name(), oneOfEach)
          .build());
      // trees and the three files' chunks (6.1 MB), not the 4 MiB batches around them and 16 MiB ahead
      assertThat(slow.bytes(Operation.GET) - bytes).isLessThan(7_000_000);
    }
    for (String path : chosen) {
      assertThat(read.get(path)).as(path).isEqualTo(Files.readAllBytes(src.resolve(path)));
    }
  }

  @Test
  void aSnapshotWithTwoSourcesRestoresOneAsFilesAndOneThroughItsRestorer() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("other"));
    byte[] config = new byte[200_000];
    new Random(9).nextBytes(config);
    Files.write(other.resolve("config.bin"), config);
    Snapshot both;
    try (Repository repo = TestRepos.open(storage)) {
      repo.backup(List.of(FileSource.of(src).name("tree"), FileSource.of(other).name("settings")));
      both = repo.snapshots().get(repo.snapshots().size() - 1);
    }
    assertThat(both.sources()).hasSize(2);
    String ownSource = "settings";
    java.util.Map<String, byte[]> seen = new java.util.TreeMap<>();
    Restorer own = reading(List.of("config.bin"), seen);
    FaultyStorage slow = new FaultyStorage(storage).parallelReads(8);
    Path out = tmp.resolve("files");
    try (Repository repo = TestRepos.open(slow)) {
      repo.restore(RestoreRequest.builder().snapshot(both.id()).destination(out).restorer(ownSource, own).build());
    }
    assertThat(seen.get("config.bin")).isEqualTo(config);
    TestTrees.assertSameTree(src, out); // the directory source alone, in the destination itself
  }

  @Test
  void restoringOnePathReadsItsOwnBatchOnly() throws IOException {
    FaultyStorage slow = new FaultyStorage(storage).parallelReads(8);
    Path out = tmp.resolve("one");
    try (Repository repo = TestRepos.open(slow)) {
      long bytes = slow.bytes(Operation.GET);
      repo.restore(RestoreRequest.builder().snapshot(snapshot.id()).path("d3/f7").destination(out).build());
      // trees and the one chunk, not the 35 MB of the snapshot's packs
      assertThat(slow.bytes(Operation.GET) - bytes).isLessThan(1 << 20);
    }
    assertThat(Files.readAllBytes(out.resolve("d3/f7"))).isEqualTo(Files.readAllBytes(src.resolve("d3/f7")));
  }
}
