package dev.cairn.backup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Secret;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.testing.StorageCompatibilityKit;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * {@link S3Storage} against a real S3 protocol server (embedded s3proxy): the compatibility kit, with
 * multipart uploads for objects over 8 MiB, plus S3-specific behaviour.
 */
class S3StorageIT extends StorageCompatibilityKit {
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

  @Override
  protected Storage createStorage() {
    return server.storage(server.newBucket()).prefix("repo/main")
        .multipartThreshold(8L << 20).partSize(5L << 20).build();
  }

  @Test
  void aServerThatIgnoresRangeHeadersIsAClearPermanentErrorNotDamagedData() throws Exception {
    // the SDK signs the request without its Range header, as if a proxy had dropped it on the way
    ExecutionInterceptor dropRange = new ExecutionInterceptor() {
      @Override
      public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return context.httpRequest().toBuilder().removeHeader("Range").build();
      }
    };
    byte[] data = new byte[100_000];
    new java.util.Random(8).nextBytes(data);
    String bucket = server.newBucket();
    try (S3Storage plain = server.storage(bucket).build();
         S3Storage ignoring = server.storage(bucket).interceptor(dropRange).build()) {
      plain.put("data/08/pack", ByteBuffer.wrap(data));
      assertThatThrownBy(() -> ignoring.get("data/08/pack", 1000, 500))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("ignores HTTP Range headers").hasMessageContaining("data/08/pack")
          .satisfies(e -> assertThat(((StorageException) e).isPermanent()).isTrue());
      // past the end, the whole object means there is nothing there, as a 416 would
      try (java.io.InputStream in = ignoring.get("data/08/pack", 200_000, 500)) {
        assertThat(in.readAllBytes()).isEmpty();
      }
      // from the start, the whole object's first bytes are the range's bytes
      try (java.io.InputStream in = ignoring.get("data/08/pack", 0, 500)) {
        assertThat(in.readNBytes(500)).isEqualTo(java.util.Arrays.copyOf(data, 500));
      }
      // and a server that honours ranges answers from the offset asked for
      try (java.io.InputStream in = plain.get("data/08/pack", 1000, 500)) {
        assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1500));
      }
    }
    assertThat(S3Storage.rangeStart("bytes 1000-1499/100000")).isEqualTo(1000);
    assertThat(S3Storage.rangeStart(null)).isEqualTo(-1);
    assertThat(S3Storage.rangeStart("bytes */100000")).isEqualTo(-1);
  }

  @Test
  void anUploadInterruptedForGoodIsAbortedAsALeftoverOnlyUnderItsPrefix() throws Exception {
    String bucket = server.newBucket();
    try (software.amazon.awssdk.services.s3.S3Client raw = server.rawClient();
        S3Storage s3 = server.storage(bucket).prefix("repo").build()) {
      // what a process killed in the middle of a large pack's upload leaves: parts, never completed
      String inside = raw.createMultipartUpload(r -> r.bucket(bucket).key("repo/data/aa/pack")).uploadId();
      raw.uploadPart(r -> r.bucket(bucket).key("repo/data/aa/pack").uploadId(inside).partNumber(1),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(randomBytes(1000, 3)));
      // and of a large index file (prune and 'repair index' write one for the whole repository)
      String index = "repo/index/" + "0123456789abcdef".repeat(4);
      String indexUpload = raw.createMultipartUpload(r -> r.bucket(bucket).key(index)).uploadId();
      raw.uploadPart(r -> r.bucket(bucket).key(index).uploadId(indexUpload).partNumber(1),
          software.amazon.awssdk.core.sync.RequestBody.fromBytes(randomBytes(1000, 4)));
      // another application's uploads in the same bucket, outside the storage's prefix and inside it
      raw.createMultipartUpload(r -> r.bucket(bucket).key("other/file"));
      raw.createMultipartUpload(r -> r.bucket(bucket).key("repo/exports/big.csv"));
      assertThat(s3.removeLeftovers(Instant.now().minusSeconds(3600))).as("too recent to be a leftover").isZero();
      assertThat(s3.removeLeftovers(Instant.now().plusSeconds(60))).isEqualTo(2);
      assertThat(raw.listMultipartUploads(r -> r.bucket(bucket)).uploads())
          .extracting(software.amazon.awssdk.services.s3.model.MultipartUpload::key)
          .containsExactlyInAnyOrder("other/file", "repo/exports/big.csv");
    }
  }

  @Test
  void largeObjectGoesUpAsMultipartAndReadsBackWhole() throws Exception {
    RecordingInterceptor recorder = new RecordingInterceptor();
    byte[] data = randomBytes(12 * 1024 * 1024 + 5, 11);
    try (S3Storage s3 = server.storage(server.newBucket()).multipartThreshold(8L << 20).partSize(5L << 20)
        .interceptor(recorder).build()) {
      s3.put("data/12/big", ByteBuffer.wrap(data));
      assertThat(recorder.find("PUT", "partNumber")).hasSize(3)
          .allSatisfy(r -> assertThat(r.firstMatchingHeader("Content-MD5")).isPresent());
      assertThat(recorder.find("POST", "uploads")).hasSize(1);
      assertThat(readAll(s3.get("data/12/big"))).isEqualTo(data);
      assertThat(s3.stat("data/12/big")).contains(new StorageObject("data/12/big", data.length));
    }
  }

  @Test
  void readsUseRangeRequests() throws Exception {
    RecordingInterceptor recorder = new RecordingInterceptor();
    try (S3Storage s3 = server.storage(server.newBucket()).interceptor(recorder).build()) {
      s3.put("data/aa/r", ByteBuffer.wrap(randomBytes(1000, 5)));
      readAll(s3.get("data/aa/r", 10, 20));
      readAll(s3.get("data/aa/r", 990, -1));
      assertThat(recorder.find("GET", null)).extracting(r -> r.firstMatchingHeader("Range").orElse(""))
          .containsExactly("bytes=10-29", "bytes=990-");
      assertThat(readAll(s3.get("data/aa/r", 5000, 10))).isEmpty();
    }
  }

  @Test
  void prefixesKeepRepositoriesInOneBucketApart() throws Exception {
    String bucket = server.newBucket();
    try (S3Storage a = server.storage(bucket).prefix("hosts/a").build();
         S3Storage b = server.storage(bucket).prefix("/hosts/b/").build()) {
      a.put("config", ByteBuffer.wrap(new byte[] {1}));
      b.put("config", ByteBuffer.wrap(new byte[] {2, 2}));
      assertThat(a.list("")).containsExactly(new StorageObject("config", 1));
      assertThat(b.list("")).containsExactly(new StorageObject("config", 2));
      assertThat(server.blobStore().blobExists(bucket, "hosts/a/config")).isTrue();
      assertThat(a.location()).isEqualTo("s3://" + bucket + "/hosts/a?endpoint=" + server.endpoint());
    }
  }

  @Test
  void storageClassIsSentWithEveryUpload() throws Exception {
    RecordingInterceptor recorder = new RecordingInterceptor();
    try (S3Storage s3 = server.storage(server.newBucket()).storageClass("standard_ia")
        .multipartThreshold(5L << 20).partSize(5L << 20).interceptor(recorder).build()) {
      s3.put("index/small", ByteBuffer.wrap(new byte[10]));
      s3.put("data/00/large", ByteBuffer.wrap(new byte[6 << 20]));
      assertThat(recorder.find("PUT", null).get(0).firstMatchingHeader("x-amz-storage-class")).contains("STANDARD_IA");
      assertThat(recorder.find("POST", "uploads").get(0).firstMatchingHeader("x-amz-storage-class")).contains("STANDARD_IA");
    }
    assertThatThrownBy(() -> S3Storage.builder().storageClass("FAST")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown storage class 'FAST'");
  }

  /**
   * s3proxy does not implement Object Lock (it ignores the headers), so this checks what Cairn
   * controls: every upload, single or multipart, asks for the retention mode and date.
   */
  @Test
  void objectLockRetentionIsRequestedOnEveryWrite() throws Exception {
    RecordingInterceptor recorder = new RecordingInterceptor();
    Clock clock = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC);
    try (S3Storage s3 = server.storage(server.newBucket())
        .objectLock(S3Storage.RetentionMode.COMPLIANCE, Duration.ofDays(30)).clock(clock)
        .multipartThreshold(5L << 20).partSize(5L << 20).interceptor(recorder).build()) {
      s3.put("snapshots/s1", ByteBuffer.wrap(new byte[100]));
      s3.put("data/00/pack", ByteBuffer.wrap(new byte[7 << 20]));
      assertThat(readAll(s3.get("snapshots/s1"))).hasSize(100);
    }
    SdkHttpRequest put = recorder.find("PUT", null).get(0);
    SdkHttpRequest create = recorder.find("POST", "uploads").get(0);
    for (SdkHttpRequest r : List.of(put, create)) {
      assertThat(r.firstMatchingHeader("x-amz-object-lock-mode")).contains("COMPLIANCE");
      assertThat(r.firstMatchingHeader("x-amz-object-lock-retain-until-date")).contains("2026-12-28T03:00:00Z");
    }
    // S3 refuses lock headers without an integrity header: Content-MD5 is always sent
    assertThat(put.firstMatchingHeader("Content-MD5")).isPresent();
  }

  @Test
  void missingBucketIsAPermanentErrorNamingTheBucket() {
    try (S3Storage s3 = server.storage("no-such-bucket").build()) {
      assertThatThrownBy(() -> s3.put("config", ByteBuffer.wrap(new byte[1])))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessageContaining("bucket 'no-such-bucket' does not exist");
    }
  }

  @Test
  void wrongCredentialsAreAccessDeniedAndNotRetried() throws Exception {
    String bucket = server.newBucket();
    try (Storage s3 = Storages.retrying(S3Storage.builder().bucket(bucket).endpoint(server.endpoint())
        .region("us-east-1").pathStyle(true).credentials(S3TestServer.ACCESS_KEY, Secret.of("wrong")).build(), 5)) {
      assertThatThrownBy(() -> s3.put("keys/k1", ByteBuffer.wrap(new byte[1])))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.isPermanent()).isTrue();
            assertThat(e.getCause()).isInstanceOf(AccessDeniedException.class);
          })
          .hasMessageContaining("keys/k1").hasMessageContaining("access denied").hasMessageContaining("not retried");
    }
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> S3Storage.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bucket");
    assertThatThrownBy(() -> S3Storage.builder().partSize(1024)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 MiB");
    assertThatThrownBy(() -> S3Storage.builder().prefix("a/../b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Storage.builder().objectLock(S3Storage.RetentionMode.GOVERNANCE, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
