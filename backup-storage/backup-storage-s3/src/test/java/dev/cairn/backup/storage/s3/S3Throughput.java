package dev.cairn.backup.storage.s3;

import dev.cairn.backup.testing.StorageThroughput;
import org.junit.jupiter.api.Test;

/**
 * Throughput probe, run by hand (not part of the suite; its name matches neither *Test nor *IT):
 * {@code ./mvnw -B -pl backup-storage/backup-storage-s3 -am verify -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=S3Throughput -Dfailsafe.failIfNoSpecifiedTests=false};
 * the result is in {@code target/failsafe-reports/*S3Throughput-output.txt}.
 */
class S3Throughput {
  @Test
  void sixteenMebibytePacks() throws Exception {
    try (S3TestServer server = S3TestServer.start()) {
      for (int threads : new int[] {1, 4}) {
        try (S3Storage s3 = server.storage(server.newBucket()).build()) {
          System.out.println("s3proxy (in-memory), 16 x 16 MiB, " + threads + " thread(s): "
              + StorageThroughput.measure(s3, 16, 16 << 20, threads));
        }
      }
    }
  }
}
