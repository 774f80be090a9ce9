package dev.cairn.backup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Review finding: a prune (or 'repair index') writes ONE index file for the whole repository; above ~350k
 * blobs it is larger than the 16 MiB multipart threshold and goes up in parts under index/. A prune
 * killed during that upload leaves billed parts that removeLeftovers (now data/ only) never aborts.
 */
class S3IndexLeftoverIT {
  static S3TestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anInterruptedLargeIndexUploadIsAbortedAsALeftover() throws Exception {
    String bucket = server.newBucket();
    // an index file over the threshold really goes up in parts (the same path a killed prune leaves)
    try (software.amazon.awssdk.services.s3.S3Client raw = software.amazon.awssdk.services.s3.S3Client.builder()
        .endpointOverride(server.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3TestServer.ACCESS_KEY,
                S3TestServer.SECRET_KEY.reveal()))).build();
        S3Storage s3 = server.storage(bucket).prefix("repo").build()) {
      String key = "repo/index/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
      String id = raw.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
      raw.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(1),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[1000]));
      assertThat(s3.removeLeftovers(Instant.now().plusSeconds(60))).as("the repository's own interrupted index"
          + " upload is a leftover").isEqualTo(1);
      assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }
  }
}
