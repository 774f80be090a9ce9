package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotStats;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stats SNAPSHOT --mode restore-size|raw-data}: what a restore writes, and the unique data snapshots need. */
class SnapshotStatsTest {
  @TempDir Path tmp;

  @Test
  void restoreSizeAddsUpAndRawDataCountsSharedChunksOnce() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    byte[] big = new byte[300_000];
    new Random(5).nextBytes(big);
    Files.write(src.resolve("sub/big.bin"), big);
    Files.writeString(src.resolve("a.txt"), "alpha");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      Snapshot first = repo.backup(List.of(FileSource.of(src))).snapshot();
      Files.writeString(src.resolve("a.txt"), "alpha, changed");
      Snapshot second = repo.backup(List.of(FileSource.of(src))).snapshot();

      SnapshotStats one = repo.stats(List.of(first.id().shortHex()), false);
      assertThat(one.snapshots()).isEqualTo(1);
      assertThat(one.entries()).isEqualTo(3); // a.txt, sub, sub/big.bin
      assertThat(one.restoreBytes()).isEqualTo(300_000 + 5);
      assertThat(one.dataCounted()).isFalse();

      SnapshotStats both = repo.stats(List.of(), true);
      assertThat(both.snapshots()).isEqualTo(2);
      assertThat(both.restoreBytes()).isEqualTo(2 * 300_000 + 5 + 14);
      // big.bin's chunk is shared: three distinct chunks (big.bin, two versions of a.txt)
      assertThat(both.chunks()).isEqualTo(3);
      assertThat(both.rawBytes()).isGreaterThanOrEqualTo(300_000 + 5 + 14);
      assertThat(both.storedBytes()).isPositive();
      SnapshotStats latest = repo.stats(List.of("latest"), true);
      assertThat(latest.chunks()).isEqualTo(2);
      assertThat(latest.trees()).isEqualTo(2); // the root and sub
    }
  }
}
