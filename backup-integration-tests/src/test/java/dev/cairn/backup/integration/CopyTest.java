package dev.cairn.backup.integration;

import static dev.cairn.backup.integration.CopyFixtures.DEST_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.SOURCE_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.assertRestoresTo;
import static dev.cairn.backup.integration.CopyFixtures.backup;
import static dev.cairn.backup.integration.CopyFixtures.repository;
import static dev.cairn.backup.integration.CopyFixtures.writeFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Copies between repositories on in-memory storage: identical restores, only new chunks transferred,
 * resuming after an interruption; with and without shared chunking.
 */
class CopyTest {
  private static final int MIB = 1024 * 1024;
  @TempDir Path tmp;

  private Repository destination(FaultyStorage storage, Repository source, boolean sharedChunking) {
    Repository.Builder b = repository(storage, DEST_PASSPHRASE);
    return (sharedChunking ? b.chunkingFrom(source) : b).init();
  }

  @ParameterizedTest(name = "shared chunking: {0}")
  @ValueSource(booleans = {true, false})
  void copyRestoresIdenticallyAndSecondCopyTransfersOnlyNewChunks(boolean sharedChunking) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    writeFiles(data, "f", 6, MIB, 1);
    FaultyStorage destStorage = new FaultyStorage(new InMemoryStorage());
    try (Repository src = repository(new InMemoryStorage(), SOURCE_PASSPHRASE).init();
        Repository dst = destination(destStorage, src, sharedChunking)) {
      Snapshot first = backup(src, data);
      CopyReport r1 = src.copyTo(dst);
      assertThat(r1.sharedChunking()).isEqualTo(sharedChunking);
      assertThat(r1.copied()).hasSize(1);
      assertThat(r1.bytesCopied()).isGreaterThanOrEqualTo(6L * MIB);
      assertThat(r1.copied().get(0).time()).isEqualTo(first.time());
      assertThat(r1.copied().get(0).id().equals(first.id())).isFalse(); // re-encrypted: another object
      assertRestoresTo(dst, r1.copied().get(0).id().hex(), tmp.resolve("restore1"), data);

      // day 2: one new file of 1 MiB; the rest unchanged
      writeFiles(data, "new", 1, MIB, 2);
      backup(src, data);
      long putBefore = destStorage.bytes(Operation.PUT);
      CopyReport r2 = src.copyTo(dst);
      long uploaded = destStorage.bytes(Operation.PUT) - putBefore;
      assertThat(r2.copied()).hasSize(1);
      assertThat(r2.alreadyPresent()).extracting(Snapshot::id).containsExactly(first.id());
      // the new file's chunks plus trees, index, snapshot and lock objects; not the 6 MiB already there
      assertThat(r2.bytesCopied()).isBetween((long) MIB, MIB + 64L * 1024);
      assertThat(uploaded).isBetween((long) MIB, MIB + 256L * 1024);
      assertRestoresTo(dst, "latest", tmp.resolve("restore2"), data);
      assertThat(dst.verify(true).ok()).isTrue();

      CopyReport r3 = src.copyTo(dst, List.of("latest"), ProgressListener.NONE);
      assertThat(r3.copied()).isEmpty();
      assertThat(r3.alreadyPresent()).hasSize(1);
      assertThat(r3.blobsCopied()).isZero();
    }
  }

  @ParameterizedTest(name = "shared chunking: {0}")
  @ValueSource(booleans = {true, false})
  void interruptedCopyResumesAndTransfersOnlyTheRest(boolean sharedChunking) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    writeFiles(data, "f", 8, MIB, 3);
    try (Repository src = repository(new InMemoryStorage(), SOURCE_PASSPHRASE).init()) {
      backup(src, data);
      // an uninterrupted copy, to know how many puts and bytes a whole copy takes
      FaultyStorage whole = new FaultyStorage(new InMemoryStorage());
      long wholePuts;
      long wholeBytes;
      try (Repository dst = destination(whole, src, sharedChunking)) {
        long calls = whole.calls(Operation.PUT);
        long bytes = whole.bytes(Operation.PUT);
        src.copyTo(dst);
        wholePuts = whole.calls(Operation.PUT) - calls;
        wholeBytes = whole.bytes(Operation.PUT) - bytes;
      }

      FaultyStorage flaky = new FaultyStorage(new InMemoryStorage());
      try (Repository dst = destination(flaky, src, sharedChunking)) {
        flaky.failCall(Operation.PUT, (int) (wholePuts * 3 / 4));
        assertThatThrownBy(() -> src.copyTo(dst)).isInstanceOf(BackupException.class);
      }
      flaky.heal();
      try (Repository dst = repository(flaky, DEST_PASSPHRASE).open()) {
        assertThat(dst.snapshots()).as("nothing is committed by an interrupted copy").isEmpty();
        long before = flaky.bytes(Operation.PUT);
        CopyReport resumed = src.copyTo(dst);
        long resumedBytes = flaky.bytes(Operation.PUT) - before;
        assertThat(resumed.copied()).hasSize(1);
        assertThat(resumedBytes).as("the resumed copy re-sends only what was not flushed")
            .isLessThan(wholeBytes * 3 / 4).isPositive();
        assertRestoresTo(dst, "latest", tmp.resolve("restored"), data);
        assertThat(dst.verify(true).ok()).isTrue();
      }
    }
  }

  @Test
  void damagedSourceDataStopsTheCopyWithoutCommittingTheSnapshot() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    writeFiles(data, "f", 2, MIB, 6);
    Path srcDir = tmp.resolve("src-repo");
    try (Repository src = repository(dev.cairn.backup.Storages.local(srcDir), SOURCE_PASSPHRASE).init();
        Repository dst = repository(new InMemoryStorage(), DEST_PASSPHRASE).chunkingFrom(src).init()) {
      backup(src, data);
      Path pack;
      try (var files = Files.walk(srcDir.resolve("data"))) {
        pack = files.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
            .orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(pack);
      bytes[bytes.length / 2] ^= 0x5a; // inside a data blob
      pack.toFile().setWritable(true);
      Files.write(pack, bytes);
      assertThatThrownBy(() -> src.copyTo(dst)).isInstanceOf(dev.cairn.backup.IntegrityException.class)
          .hasMessageContaining(pack.getFileName().toString());
      assertThat(dst.snapshots()).isEmpty();
    }
  }

  @Test
  void copiesOnlyTheNamedSnapshots() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    writeFiles(data, "f", 2, 64 * 1024, 4);
    try (Repository src = repository(new InMemoryStorage(), SOURCE_PASSPHRASE).init();
        Repository dst = repository(new InMemoryStorage(), DEST_PASSPHRASE).chunkingFrom(src).init()) {
      Snapshot first = backup(src, data);
      writeFiles(data, "g", 1, 64 * 1024, 5);
      Snapshot second = backup(src, data);
      CopyReport r = src.copyTo(dst, List.of(first.id().hex().substring(0, 8)), ProgressListener.NONE);
      assertThat(r.copied()).extracting(Snapshot::time).containsExactly(first.time());
      assertThat(dst.snapshots()).extracting(Snapshot::time).containsExactly(first.time());
      CopyReport all = src.copyTo(dst);
      assertThat(all.copied()).extracting(Snapshot::time).containsExactly(second.time());
      assertThat(dst.snapshots()).hasSize(2);
      assertThat(dst.snapshots().get(1).parent()).as("the copy's parent is the copy of the parent")
          .isEqualTo(dst.snapshots().get(0).id());
      assertThatThrownBy(() -> src.copyTo(src)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
