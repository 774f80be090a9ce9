package dev.cairn.backup.internal.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeWalker;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file stream of a batched restore input: a chunk that failed is never skipped by reading on. */
class SnapshotRestoreInputTest {
  private static final Secret PASSPHRASE = Secret.of("restore input");

  @TempDir
  Path tmp;

  @Test
  void readingOnAfterADamagedChunkFailsInsteadOfSkippingIt() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] big = new byte[24 << 20];   // at least 3 chunks whatever the chunker parameters (at most 8 MiB each)
    new Random(5).nextBytes(big);
    Files.write(src.resolve("big"), big);
    InMemoryStorage storage = new InMemoryStorage();
    try (Repository repo = Repository.builder(storage).passphrase(PASSPHRASE).keyDerivation(1024, 1, 1).workers(2)
        .init()) {
      repo.backup(List.of(FileSource.of(src)));
    }
    RepositoryOptions options = RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1)).build();
    ExecutorService prefetch = Executors.newFixedThreadPool(2);
    try (EncryptedRepository repo = EncryptedRepository.open(new FaultyStorage(storage).parallelReads(8), PASSPHRASE,
        options)) {
      Snapshot snapshot = Snapshots.resolve(repo, "latest", null, null);
      SnapshotSource source = snapshot.sources().get(0);
      Node node = TreeWalker.flatten(source.tree(), repo::readBlobsById).get("big");
      List<ObjectId> chunks = node.content();
      assertThat(chunks).hasSizeGreaterThan(2);
      Damage.flipBitIn(storage, repo.lookup(chunks.get(1)).orElseThrow());

      SnapshotRestoreInput input = new SnapshotRestoreInput(repo, snapshot, source, List.of(), prefetch, null);
      input.readInListOrder();
      try (InputStream in = input.open("big")) {
        byte[] buf = new byte[1 << 16];
        long read = 0;
        IntegrityException damage = null;
        try {
          for (int n; (n = in.read(buf)) >= 0; ) {
            read += n;
          }
        } catch (IntegrityException e) {
          damage = e;
        }
        assertThat(damage).as("the damaged chunk fails the read").isNotNull();
        assertThat(damage.getMessage()).contains(chunks.get(1).toString());
        long before = read;
        // a caller that tries again must not get the bytes after the damaged chunk as if it were there
        assertThatThrownBy(() -> in.read(buf)).isInstanceOf(IOException.class).hasMessageContaining("big");
        assertThat(read).isEqualTo(before);
      }
      // opened again, the file is read chunk by chunk and fails at the same chunk
      try (InputStream again = input.open("big")) {
        assertThatThrownBy(again::readAllBytes).isInstanceOf(IntegrityException.class)
            .hasMessageContaining(chunks.get(1).toString());
      }
      input.release();
    } finally {
      prefetch.shutdownNow();
    }
  }
}
