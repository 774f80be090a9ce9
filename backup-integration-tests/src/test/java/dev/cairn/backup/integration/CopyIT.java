package dev.cairn.backup.integration;

import static dev.cairn.backup.integration.CopyFixtures.DEST_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.SOURCE_PASSPHRASE;
import static dev.cairn.backup.integration.CopyFixtures.assertRestoresTo;
import static dev.cairn.backup.integration.CopyFixtures.backup;
import static dev.cairn.backup.integration.CopyFixtures.repository;
import static dev.cairn.backup.integration.CopyFixtures.writeFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.CopyReport;
import dev.cairn.backup.PackRepairReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Back up to a local repository, copy to S3 (embedded s3proxy) and SFTP (embedded SSHD), restore from
 * each; a second copy uploads only the new chunks. And repair: a remote copy that lost a pack and has
 * another damaged is made whole from the local one.
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

  // repair: the off-site copy loses a pack and has another damaged; the local primary gives them back

  @Test
  void aDamagedAndALostPackOnS3ComeBackFromTheLocalCopy() throws Exception {
    repairRemote(() -> servers.s3("repair-target"));
  }

  @Test
  void aDamagedAndALostPackOnSftpComeBackFromTheLocalCopy() throws Exception {
    repairRemote(() -> servers.sftp("/repair-target"));
  }

  private void repairRemote(java.util.function.Supplier<Storage> remote) throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    writeFiles(data, "f", 40, MIB / 2, 21);
    try (Storage remoteStorage = remote.get();
        Repository local = repository(Storages.local(tmp.resolve("local-repo")), SOURCE_PASSPHRASE)
            .packSize(4 * MIB).init()) {
      backup(local, data);
      try (Repository offsite = repository(remoteStorage, DEST_PASSPHRASE).packSize(4 * MIB).chunkingFrom(local)
          .init()) {
        assertThat(local.copyTo(offsite).copied()).hasSize(1);
      }
      List<StorageObject> packs = remoteStorage.list("data/").stream()
          .sorted(Comparator.comparingLong(StorageObject::size).reversed()).toList();
      assertThat(packs).as("packs on the remote").hasSizeGreaterThan(2);
      remoteStorage.delete(packs.get(0).name());
      byte[] b;
      try (InputStream in = remoteStorage.get(packs.get(1).name())) {
        b = in.readAllBytes();
      }
      b[b.length / 2] ^= 0x01;
      remoteStorage.put(packs.get(1).name(), ByteBuffer.wrap(b));

      try (Repository offsite = repository(remoteStorage, DEST_PASSPHRASE).open()) {
        VerifyReport before = offsite.verify(true);
        assertThat(before.damagedPacks()).hasSize(2);
        PackRepairReport r = offsite.repairPacks(List.of(), local, false);
        assertThat(r.repairedPacks()).hasSize(2);
        assertThat(r.complete()).as(r.toString()).isTrue();
        assertThat(r.blobsFromCopy()).isPositive();
        assertThat(offsite.verify(true).ok()).isTrue();
      }
      try (Repository offsite = repository(remoteStorage, DEST_PASSPHRASE).open()) {
        assertRestoresTo(offsite, "latest", tmp.resolve("restored"), data);
      }
    }
  }
}
