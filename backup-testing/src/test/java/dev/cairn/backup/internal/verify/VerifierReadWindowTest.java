package dev.cairn.backup.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.DataSubset;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify --read-data holds every pack it reads whole in memory: however many threads the executor has
 * (one per core), no more than four packs are read at once, as before the reads were taken in index
 * order.
 */
class VerifierReadWindowTest {
  static final Secret PASSPHRASE = Secret.of("correct horse battery staple");
  @TempDir Path tmp;

  @Test
  void readDataReadsAtMostFourPacksAtOnceOnAWidePool() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Random r = new Random(3);
    for (int i = 0; i < 24; i++) {
      byte[] b = new byte[60_000];
      r.nextBytes(b);
      Files.write(src.resolve("f" + i + ".bin"), b);
    }
    InMemoryStorage storage = new InMemoryStorage();
    try (Repository repo = Repository.builder(storage).passphrase(PASSPHRASE).keyDerivation(1024, 1, 1)
        .packSize(64 * 1024).init()) {
      repo.backup(List.of(FileSource.of(src)));
    }
    FaultyStorage slow = new FaultyStorage(storage);
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try (EncryptedRepository engine = EncryptedRepository.open(slow, PASSPHRASE, RepositoryOptions.defaults())) {
      assertThat(engine.packs()).hasSizeGreaterThan(12);
      slow.latency(Operation.GET, Duration.ofMillis(50));
      VerifyReport report = Verifier.verify(engine, DataSubset.all(), packs -> packs, ProgressListener.NONE, pool);
      assertThat(report.ok()).isTrue();
      assertThat(report.packsRead()).isEqualTo(engine.packs().size());
    } finally {
      pool.shutdownNow();
    }
    assertThat(slow.peakConcurrency(Operation.GET)).as("packs read at once").isBetween(2, 4);
  }
}
