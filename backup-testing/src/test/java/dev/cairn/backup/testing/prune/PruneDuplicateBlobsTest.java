package dev.cairn.backup.testing.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.PruneReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sessions that store the same chunk at the same time (two hosts backing up the same file at 03:00,
 * neither seeing the other's index yet) leave it in two packs. docs/retention.md and PrunePlan.Stats say
 * duplicate copies are unused data that prune removes; but prune sees only the first-loaded copy of each
 * blob (the index keeps one location per id), so the other copy is counted nowhere, never repacked even
 * with --max-unused 0, and dropped from the new index's record of its pack: stored forever, while the
 * report says nothing is unused.
 */
class PruneDuplicateBlobsTest {
  private static final Secret PW = Secret.of("pw");
  @TempDir Path tmp;

  @Test
  void pruneWithMaxUnusedZeroRemovesADuplicateCopyOfAChunk() throws Exception {
    Storage storage = Storages.local(tmp.resolve("repo"));
    Random random = new Random(1);
    byte[] f = new byte[200_000];
    byte[] g = new byte[200_000];
    random.nextBytes(f);
    random.nextBytes(g);
    Path dir1 = Files.createDirectories(tmp.resolve("d1"));
    Path dir2 = Files.createDirectories(tmp.resolve("d2"));
    Files.write(dir1.resolve("f.bin"), f);
    Files.write(dir2.resolve("g.bin"), g);
    ObjectId x;
    try (Repository repo = Repository.builder(storage).passphrase(PW).keyDerivation(1024, 1, 1).init();
        EncryptedRepository other = EncryptedRepository.open(storage, PW, RepositoryOptions.defaults())) {
      // host 1 backs up f.bin; host 2, whose session loaded the index before, stores the same chunk again
      repo.backup(List.of(FileSource.of(dir1)));
      x = other.chunkId(f, 0, f.length);
      assertThat(other.addBlob(BlobType.DATA, x, f, 0, f.length)).as("host 2 does not know it yet").isTrue();
      other.addBlob(BlobType.DATA, other.chunkId(g, 0, g.length), g, 0, g.length);
      other.flush();
      repo.backup(List.of(FileSource.of(dir2))); // g.bin: deduplicated against host 2's pack
      assertThat(packsHolding(storage, x)).as("set-up: the chunk is stored twice").isEqualTo(2);

      PruneReport r = repo.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      assertThat(r.unusedBytes()).as("the duplicate copy is unused data (PrunePlan.Stats)").isPositive();
      assertThat(packsHolding(storage, x)).as("after prune --max-unused 0 one copy is left").isEqualTo(1);
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }

  /** How many packs in storage hold blob {@code id}, by their headers. */
  private static int packsHolding(Storage storage, ObjectId id) {
    try (EncryptedRepository e = EncryptedRepository.open(storage, PW, RepositoryOptions.defaults())) {
      int n = 0;
      for (ObjectId pack : e.list(dev.cairn.backup.internal.repository.FileType.PACK)) {
        if (e.readPackHeader(pack).stream().map(BlobLocation::id).anyMatch(id::equals)) {
          n++;
        }
      }
      return n;
    }
  }
}
