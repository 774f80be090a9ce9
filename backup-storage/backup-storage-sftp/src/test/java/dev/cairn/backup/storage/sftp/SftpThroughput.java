package dev.cairn.backup.storage.sftp;

import dev.cairn.backup.testing.StorageThroughput;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput probe, run by hand (not part of the suite; its name matches neither *Test nor *IT):
 * {@code ./mvnw -B -pl backup-storage/backup-storage-sftp -am verify -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SftpThroughput -Dfailsafe.failIfNoSpecifiedTests=false};
 * the result is in {@code target/failsafe-reports/*SftpThroughput-output.txt}.
 */
class SftpThroughput {
  @TempDir Path dir;

  @Test
  void sixteenMebibytePacks() throws Exception {
    try (SftpTestServer server = new SftpTestServer(dir)) {
      for (int threads : new int[] {1, 4}) {
        try (SftpStorage sftp = server.storage(SftpTestServer.newRoot()).build()) {
          System.out.println("MINA SSHD (temp dir), 16 x 16 MiB, " + threads + " thread(s): "
              + StorageThroughput.measure(sftp, 16, 16 << 20, threads));
        }
      }
    }
  }
}
