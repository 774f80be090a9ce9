package dev.cairn.backup.integration;

import static dev.cairn.backup.integration.CopyFixtures.DEST_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.SOURCE_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.assertRestoresTo;
import static dev.cairn.backup.integration.CopyFixtures.backup;
import static dev.cairn.backup.integration.CopyFixtures.repository;
import static dev.cairn.backup.integration.CopyFixtures.writeFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.CopyReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back up to a local repository, copy to S3 (embedded s3proxy) and SFTP (embedded SSHD), restore from
 * each; a second copy uploads only the new chunks.
 */
class CopyIT {
  private static final int MIB = 1024 * 1024;
  @TempDir static Path serverDir;
  private static EmbeddedServers servers;
  @TempDir Path tmp;

  @BeforeAll
  static void startServers() throws Exception {
    servers = new EmbeddedServers(serverDir);
  }

  @AfterAll
  static void stopServers() throws Exception {
    servers.close();
  }

  @Test
  void copiesToS3RestoresIdenticallyAndSendsOnlyNewChunksTheSecondTime() throws Exception {
    copyRestoreAndCopyAgain(tmp, p -> servers.s3("copy-target"));
  }

  @Test
  void copiesToSftpRestoresIdenticallyAndSendsOnlyNewChunksTheSecondTime() throws Exception {
    copyRestoreAndCopyAgain(tmp, p -> servers.sftp("/copy-target"));
  }

  private static void copyRestoreAndCopyAgain(Path tmp, Function<Path, Storage> remote) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    writeFiles(data, "f", 6, MIB, 11);
    try (Storage remoteStorage = remote.apply(tmp);
        Repository local = repository(Storages.local(tmp.resolve("local-repo")), SOURCE_PASSPHRASE).init()) {
      FaultyStorage counted = new FaultyStorage(remoteStorage);
      backup(local, data);
      try (Repository copy = repository(counted, DEST_PASSPHRASE).chunkingFrom(local).init()) {
        CopyReport first = local.copyTo(copy);
        assertThat(first.copied()).hasSize(1);
        assertThat(first.sharedChunking()).isTrue();
      }
      // restore from the remote through a fresh session, as after losing the local machine
      try (Repository copy = repository(remoteStorage, DEST_PASSPHRASE).open()) {
        assertRestoresTo(copy, "latest", tmp.resolve("restore1"), data);
      }
      writeFiles(data, "new", 1, MIB, 12);
      backup(local, data);
      long before = counted.bytes(Operation.PUT);
      try (Repository copy = repository(counted, DEST_PASSPHRASE).open()) {
        CopyReport second = local.copyTo(copy);
        assertThat(second.copied()).hasSize(1);
        assertThat(second.alreadyPresent()).hasSize(1);
      }
      assertThat(counted.bytes(Operation.PUT) - before).as("bytes uploaded by the second copy")
          .isBetween((long) MIB, MIB + 256L * 1024);
      try (Repository copy = repository(remoteStorage, DEST_PASSPHRASE).open()) {
        assertThat(copy.snapshots()).hasSize(2);
        assertRestoresTo(copy, "latest", tmp.resolve("restore2"), data);
        assertThat(copy.verify(true).ok()).isTrue();
      }
    }
  }
}
