package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.IndexRepairReport;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged or lost index file: the repository still opens and restores, verify names the file, prune
 * refuses, and repairIndex writes a sound index from the packs in storage.
 */
class IndexRepairTest {
  @TempDir Path tmp;
  private Path src;
  private Path repoDir;

  @BeforeEach
  void twoBackups() throws Exception {
    src = tmp.resolve("src");
    Files.createDirectories(src.resolve("d"));
    Random r = new Random(11);
    for (int i = 0; i < 4; i++) {
      byte[] b = new byte[1 << 20];
      r.nextBytes(b);
      Files.write(src.resolve("d/f" + i + ".bin"), b);
    }
    repoDir = tmp.resolve("repo");
    try (Repository repo = TestRepos.builder(Storages.local(repoDir)).packSize(1 << 20).init()) {
      repo.backup(List.of(FileSource.of(src)));
      Files.writeString(src.resolve("second.txt"), "second backup");
      repo.backup(List.of(FileSource.of(src)));
    }
    assertThat(indexFiles()).hasSize(2);
  }

  @Test
  void aDamagedIndexFileIsWorkedAroundReportedAndRepaired() throws Exception {
    Path damaged = indexFiles().get(0);
    byte[] b = Files.readAllBytes(damaged);
    b[b.length / 2] ^= 0x01;
    Files.write(damaged, b);
    Storage storage = Storages.local(repoDir);
    try (Repository repo = TestRepos.open(storage)) {
      // every command works: the packs it listed are found from their headers
      Path out = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(out).build());
      assertSameFiles(out);
      VerifyReport v = repo.verify(true);
      assertThat(v.ok()).isFalse();
      assertThat(v.problems()).singleElement().asString()
          .contains("index/" + damaged.getFileName()).contains("cairn repair index");
      assertThat(v.damagedSnapshots()).isEmpty();
      Map<String, Long> before = TestRepos.objects(storage);
      assertThatThrownBy(() -> repo.prune(PruneOptions.DEFAULTS))
          .isInstanceOf(IntegrityException.class).hasMessageContaining("cairn repair index");
      assertThat(TestRepos.objects(storage)).isEqualTo(before);

      IndexRepairReport report = repo.repairIndex(false);
      assertThat(report.damagedIndexFiles()).containsExactly("index/" + damaged.getFileName());
      assertThat(report.indexFilesReplaced()).isEqualTo(2);
      assertThat(report.headersRead()).isPositive().isLessThan(report.packsIndexed());
      assertThat(report.unreadablePacks()).isEmpty();
      assertThat(repo.verify(true).ok()).isTrue();
    }
    assertThat(indexFiles()).hasSize(1).doesNotContain(damaged);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.verify(true).ok()).isTrue();
      repo.prune(PruneOptions.DEFAULTS);
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }

  @Test
  void lostIndexFilesAreRebuiltFromThePackHeaders() throws Exception {
    for (Path p : indexFiles()) {
      Files.delete(p);
    }
    Storage storage = Storages.local(repoDir);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.verify(false).ok()).isFalse(); // every snapshot's data is missing from the index
      IndexRepairReport report = repo.repairIndex(false);
      assertThat(report.indexFilesReplaced()).isZero();
      assertThat(report.headersRead()).isEqualTo(report.packsIndexed()).isPositive();
      assertThat(repo.verify(true).ok()).isTrue();
      Path out = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(out).build());
      assertSameFiles(out);
    }
  }

  @Test
  void aStorageFailureDuringTheRepairChangesNothing() throws Exception {
    FaultyStorage storage = new FaultyStorage(Storages.local(repoDir));
    try (Repository repo = TestRepos.open(storage)) {
      Map<String, Long> before = TestRepos.objects(storage);
      storage.failNext(FaultyStorage.Operation.GET, 1000);
      assertThatThrownBy(() -> repo.repairIndex(true)).isInstanceOf(StorageException.class);
      storage.heal();
      assertThat(TestRepos.objects(storage)).isEqualTo(before);
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }

  /**
   * One listing of the packs misses a pack that is there (a flaky directory listing, a paged listing
   * cut short): repair index must not take it for gone and drop it from the index, as if its data were
   * lost; only storage saying so for that pack makes it gone (as for 'repair packs').
   */
  @Test
  void aPackOneListingMissesStaysIndexed() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean missOne = new java.util.concurrent.atomic.AtomicBoolean(true);
    Storage storage = new dev.cairn.backup.testing.ForwardingStorage(Storages.local(repoDir)) {
      @Override
      public List<dev.cairn.backup.spi.StorageObject> list(String prefix) throws java.io.IOException {
        List<dev.cairn.backup.spi.StorageObject> all = new ArrayList<>(super.list(prefix));
        if (prefix.startsWith("data") && !all.isEmpty() && missOne.getAndSet(false)) {
          all.remove(0);
        }
        return all;
      }
    };
    try (Repository repo = TestRepos.open(storage)) {
      IndexRepairReport report = repo.repairIndex(false);
      assertThat(report.packsGone()).isZero();
      assertThat(repo.verify(true).ok()).isTrue();
    }
    try (Repository repo = TestRepos.open(Storages.local(repoDir))) {
      VerifyReport v = repo.verify(true);
      assertThat(v.ok()).as("%s", v.problems()).isTrue();
    }
  }

  private List<Path> indexFiles() throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(repoDir.resolve("index"))) {
      s.sorted().forEach(out::add);
    }
    return out;
  }

  private void assertSameFiles(Path out) throws Exception {
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        assertThat(Files.mismatch(p, out.resolve(src.relativize(p)))).as(p.toString()).isEqualTo(-1);
      }
    }
  }
}
