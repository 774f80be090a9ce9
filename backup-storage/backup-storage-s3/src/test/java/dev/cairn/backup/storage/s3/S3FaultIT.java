package dev.cairn.backup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.storage.RetryingStorage;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults between {@link S3Storage} and a real S3 protocol server: a loopback proxy in front of s3proxy
 * answers 503 or resets the connection mid-upload. Whatever happens, an object is either absent or
 * whole, and {@link RetryingStorage} turns transient failures into success.
 */
class S3FaultIT {
  static S3TestServer server;
  FaultyProxy proxy;
  String bucket;
  final List<Duration> sleeps = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultyProxy.http("127.0.0.1", server.port());
    bucket = server.newBucket();
  }

  @AfterEach
  void stopProxy() throws IOException {
    proxy.close();
  }

  /** Through the proxy, with the SDK's own retries off so that every fault reaches Cairn. */
  private S3Storage direct() {
    return server.storage(bucket, java.net.URI.create("http://127.0.0.1:" + proxy.port()))
        .sdkMaxAttempts(1).multipartThreshold(8L << 20).partSize(5L << 20)
        .socketTimeout(Duration.ofSeconds(20)).build();
  }

  private Storage retrying(Storage s, int attempts) {
    return new RetryingStorage(s, attempts, Duration.ofMillis(100), Duration.ofSeconds(5), sleeps::add, () -> 0.5);
  }

  /** What the server holds, asked without the proxy. */
  private Storage truth() {
    return server.storage(bucket).build();
  }

  private static byte[] bytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  @Test
  void rangesReadToTheirLastByteKeepTheConnectionRangesLeftEarlyDropIt() throws Exception {
    byte[] data = bytes(1_000_000, 4);
    try (S3Storage s3 = direct()) {
      s3.put("data/04/ranges", ByteBuffer.wrap(data));
      int before = proxy.connections();
      // as the repository reads a blob: exactly its length, never the end-of-stream after it
      for (int i = 0; i < 40; i++) {
        int off = i * 20_000;
        byte[] got = new byte[15_000];
        try (InputStream in = s3.get("data/04/ranges", off, got.length)) {
          assertThat(in.readNBytes(got, 0, got.length)).isEqualTo(got.length); // and no read of the -1 after it
        }
        assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(data, off, off + got.length));
      }
      // one connection, reused (each read used to open its own: 40, and over HTTPS a TLS handshake each)
      assertThat(proxy.connections() - before).isLessThanOrEqualTo(2);

      // a range left half read is aborted, not drained: its connection goes, the next read works
      int beforeEarly = proxy.connections();
      try (InputStream in = s3.get("data/04/ranges", 0, 900_000)) {
        assertThat(in.read(new byte[1000])).isPositive();
      }
      assertThat(read(s3.get("data/04/ranges", 5, 10))).isEqualTo(java.util.Arrays.copyOfRange(data, 5, 15));
      assertThat(proxy.connections() - beforeEarly).isEqualTo(1);
    }
  }

  @Test
  void serviceUnavailableIsTransientAndRetryingStorageRecovers() throws Exception {
    byte[] data = bytes(300_000, 1);
    try (S3Storage s3 = direct(); Storage retrying = retrying(direct(), 5); Storage truth = truth()) {
      proxy.answerNextRequests(503, 1);
      assertThatThrownBy(() -> s3.put("data/01/one", ByteBuffer.wrap(data)))
          .isInstanceOf(IOException.class).isNotInstanceOf(StorageException.class)
          .hasMessageContaining("503").hasMessageContaining("data/01/one");
      assertThat(truth.stat("data/01/one")).isEmpty();

      proxy.answerNextRequests(503, 3);
      retrying.put("data/01/one", ByteBuffer.wrap(data));
      assertThat(sleeps).hasSize(3);
      assertThat(read(truth.get("data/01/one"))).isEqualTo(data);

      proxy.answerNextRequests(503, 2);
      assertThat(read(retrying.get("data/01/one", 1000, 500))).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 1500));
      proxy.answerNextRequests(503, 1);
      assertThat(retrying.list("data/")).hasSize(1);
    }
  }

  @Test
  void sdkRetriesAbsorbShortOutagesByDefault() throws Exception {
    byte[] data = bytes(10_000, 2);
    try (S3Storage s3 = server.storage(bucket, java.net.URI.create("http://127.0.0.1:" + proxy.port())).build()) {
      proxy.answerNextRequests(503, 2);
      s3.put("index/i1", ByteBuffer.wrap(data));
      assertThat(read(s3.get("index/i1"))).isEqualTo(data);
      assertThat(proxy.requests()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void endlessServiceUnavailableFailsCleanlyAfterTheAttempts() throws Exception {
    try (Storage retrying = retrying(direct(), 3); Storage truth = truth()) {
      proxy.answerNextRequests(503, 100);
      assertThatThrownBy(() -> retrying.put("snapshots/s1", ByteBuffer.wrap(new byte[1000])))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isFalse())
          .hasMessageContaining("snapshots/s1").hasMessageContaining("after 3 attempts");
      proxy.answerNextRequests(503, 0);
      assertThat(truth.list("")).isEmpty();
    }
  }

  @Test
  void connectionCutMidPutLeavesNoObject() throws Exception {
    byte[] data = bytes(4 << 20, 3);
    try (S3Storage s3 = direct(); Storage truth = truth()) {
      proxy.cutAfterUpstreamBytes(1 << 20);
      assertThatThrownBy(() -> s3.put("data/02/cut", ByteBuffer.wrap(data))).isInstanceOf(IOException.class);
      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(truth.stat("data/02/cut")).isEmpty();
      assertThat(truth.list("")).isEmpty();
    }
  }

  @Test
  void connectionCutMidMultipartUploadLeavesNoObjectAndRetryingCompletesIt() throws Exception {
    byte[] data = bytes(20 << 20, 4);
    try (S3Storage s3 = direct(); Storage retrying = retrying(direct(), 4); Storage truth = truth()) {
      proxy.cutAfterUpstreamBytes(12 << 20); // in the third 5 MiB part
      assertThatThrownBy(() -> s3.put("data/03/multi", ByteBuffer.wrap(data))).isInstanceOf(IOException.class);
      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(truth.stat("data/03/multi")).isEmpty();
      assertThat(truth.list("")).isEmpty();

      proxy.cutAfterUpstreamBytes(7 << 20);
      retrying.put("data/03/multi", ByteBuffer.wrap(data));
      assertThat(proxy.cuts()).isEqualTo(2);
      assertThat(sleeps).hasSize(1);
      assertThat(read(truth.get("data/03/multi"))).isEqualTo(data);
    }
  }

  @Test
  void droppedDownloadResumesWhereItStopped() throws Exception {
    byte[] data = bytes(6 << 20, 5);
    try (Storage truth = truth(); Storage retrying = retrying(direct(), 3)) {
      truth.put("data/04/read", ByteBuffer.wrap(data));
      try (InputStream in = retrying.get("data/04/read")) {
        byte[] first = in.readNBytes(1 << 20);
        proxy.dropConnections();
        byte[] rest = in.readAllBytes();
        ByteBuffer all = ByteBuffer.allocate(data.length).put(first).put(rest);
        assertThat(all.array()).isEqualTo(data);
      }
      assertThat(sleeps).hasSize(1);
    }
  }

  @Test
  void missingObjectFailsFastWithoutRetries() throws Exception {
    try (Storage retrying = retrying(direct(), 5)) {
      assertThatThrownBy(() -> read(retrying.get("snapshots/none"))).isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("snapshots/none");
      assertThat(sleeps).isEmpty();
      assertThat(proxy.requests()).isEqualTo(1);
    }
  }
}
