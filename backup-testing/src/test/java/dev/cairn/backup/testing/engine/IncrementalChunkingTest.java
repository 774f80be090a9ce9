package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content-defined chunking: an insert in the middle of a large file stores only nearby chunks. */
class IncrementalChunkingTest {
  @TempDir Path tmp;

  @Test
  void insertingTenBytesInTheMiddleOfA200MbFileStoresOnlyAFewChunks() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Path file = src.resolve("dump.sql");
    long size = 200L << 20;
    TestTrees.writeBig(file, size, 11);
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      BackupReport first = repo.backup(List.of(FileSource.of(src)));
      assertThat(first.bytesNew()).isGreaterThan(size / 2);

      Path edited = tmp.resolve("edited");
      try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(edited)) {
        byte[] head = in.readNBytes((int) (size / 2));
        out.write(head);
        out.write("0123456789".getBytes());
        in.transferTo(out);
      }
      Files.move(edited, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      BackupReport second = repo.backup(List.of(FileSource.of(src)));
      assertThat(second.bytesRead()).isEqualTo(size + 10);
      assertThat(second.bytesNew()).as("new bytes after a 10-byte insert").isGreaterThan(0).isLessThan(12L << 20);
      assertThat(second.bytesStored()).isLessThan(12L << 20);

      Path dest = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(dest).build());
      assertThat(Files.mismatch(file, dest.resolve("dump.sql"))).isEqualTo(-1);
    }
  }
}
