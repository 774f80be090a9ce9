package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A structural verify counts each chunk and tree the snapshots refer to once, however many files and
 * snapshots share it: with nothing forgotten, as many as the data check reads.
 */
class VerifyCountsTest {
  @TempDir
  Path tmp;

  @Test
  void aStructuralCheckCountsEverySharedChunkAndTreeOnce() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] shared = new byte[300_000];
    new Random(3).nextBytes(shared);
    for (int d = 0; d < 5; d++) {
      Path dir = Files.createDirectories(src.resolve("d" + d));
      Files.write(dir.resolve("same.bin"), shared); // one chunk, five files
      Files.writeString(dir.resolve("own.txt"), "file " + d);
    }
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      repo.backup(List.of(FileSource.of(src)));
      Files.writeString(src.resolve("d0/own.txt"), "changed"); // the other directories' trees are shared
      repo.backup(List.of(FileSource.of(src)));

      VerifyReport structure = repo.verify(false);
      VerifyReport data = repo.verify(true);
      assertThat(structure.problems()).isEmpty();
      assertThat(data.problems()).isEmpty();
      // chunks: the shared one, 5 own.txt, the changed one; trees: per snapshot a root, src's trees
      assertThat(structure.blobs()).isEqualTo(data.blobs()).isGreaterThan(7);
    }
  }
}
