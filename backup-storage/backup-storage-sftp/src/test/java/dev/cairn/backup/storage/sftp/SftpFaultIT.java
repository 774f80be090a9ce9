package dev.cairn.backup.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.storage.RetryingStorage;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults between {@link SftpStorage} and a real SFTP server: a loopback TCP proxy resets the SSH
 * connection mid-upload or mid-download. An object is either absent or whole, the storage reconnects,
 * and {@link RetryingStorage} turns the failure into success.
 */
class SftpFaultIT {
  @TempDir static Path dir;
  static SftpTestServer server;
  FaultyProxy proxy;
  String root;
  final List<Duration> sleeps = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = new SftpTestServer(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void startProxy() throws Exception {
    proxy = FaultyProxy.tcp("127.0.0.1", server.port());
    root = SftpTestServer.newRoot();
    // the proxy's port is another host:port for known_hosts
    Files.writeString(server.knownHosts, server.knownHostsLine("127.0.0.1", proxy.port()),
        java.nio.file.StandardOpenOption.APPEND);
  }

  @AfterEach
  void stopProxy() throws IOException {
    proxy.close();
  }

  private SftpStorage viaProxy() {
    return server.storage(root, proxy.port()).build();
  }

  private Storage retrying(Storage s) {
    return new RetryingStorage(s, 4, Duration.ofMillis(100), Duration.ofSeconds(5), sleeps::add, () -> 0.5);
  }

  private SftpStorage truth() {
    return server.storage(root).build();
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
  void connectionCutMidUploadLeavesNoObjectAndTheNextPutReconnects() throws Exception {
    byte[] data = bytes(4 << 20, 1);
    try (SftpStorage s = viaProxy(); SftpStorage truth = truth()) {
      s.put("config", ByteBuffer.wrap(new byte[1])); // connected
      proxy.cutAfterUpstreamBytes(1 << 20);
      assertThatThrownBy(() -> s.put("data/01/cut", ByteBuffer.wrap(data))).isInstanceOf(IOException.class)
          .hasMessageContaining("data/01/cut");
      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(truth.stat("data/01/cut")).isEmpty();
      assertThat(truth.list("data/")).isEmpty();
      try (Stream<Path> left = Files.list(server.file(root, "data/01"))) {
        // the partial upload stays behind under a hidden temporary name only
        assertThat(left).allSatisfy(p -> assertThat(p.getFileName().toString()).startsWith(".cut.").endsWith(".cairn-tmp"));
      }

      s.put("data/01/cut", ByteBuffer.wrap(data)); // a new session, no retry wrapper needed
      assertThat(read(truth.get("data/01/cut"))).isEqualTo(data);
    }
  }

  @Test
  void retryingStorageCompletesAnUploadCutMidway() throws Exception {
    byte[] data = bytes(3 << 20, 2);
    try (Storage s = retrying(viaProxy()); SftpStorage truth = truth()) {
      proxy.cutAfterUpstreamBytes(2 << 20);
      s.put("data/02/pack", ByteBuffer.wrap(data));
      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(sleeps).hasSize(1);
      assertThat(truth.stat("data/02/pack")).contains(new StorageObject("data/02/pack", data.length));
      assertThat(read(truth.get("data/02/pack"))).isEqualTo(data);
    }
  }

  @Test
  void droppedDownloadResumesWhereItStopped() throws Exception {
    byte[] data = bytes(5 << 20, 3);
    try (SftpStorage truth = truth(); Storage s = retrying(viaProxy())) {
      truth.put("data/03/read", ByteBuffer.wrap(data));
      try (InputStream in = s.get("data/03/read", 100, data.length - 100)) {
        byte[] first = in.readNBytes(1 << 20);
        proxy.dropConnections();
        byte[] rest = in.readAllBytes();
        byte[] all = ByteBuffer.allocate(first.length + rest.length).put(first).put(rest).array();
        assertThat(all).isEqualTo(java.util.Arrays.copyOfRange(data, 100, data.length));
      }
      assertThat(sleeps).hasSize(1);
    }
  }

  @Test
  void serverGoneForGoodFailsCleanlyAfterTheAttempts() throws Exception {
    try (Storage s = retrying(viaProxy())) {
      proxy.close(); // nothing listens any more
      assertThatThrownBy(() -> s.put("snapshots/s1", ByteBuffer.wrap(new byte[10])))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isFalse())
          .hasMessageContaining("snapshots/s1").hasMessageContaining("after 4 attempts");
      assertThat(sleeps).hasSize(3);
    }
  }

  @Test
  void refusedLoginFailsFastAsAPermanentErrorNamingTheObject() throws Exception {
    SftpStorage wrongPassword = SftpStorage.builder().host("127.0.0.1").port(proxy.port()).user(SftpTestServer.USER)
        .password(dev.cairn.backup.Secret.of("nope")).knownHosts(server.knownHosts).root(root).build();
    try (Storage s = retrying(wrongPassword)) {
      assertThatThrownBy(() -> s.put("keys/k1", ByteBuffer.wrap(new byte[10])))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessageContaining("put 'keys/k1'").hasMessageContaining("authentication").hasMessageContaining("not retried");
      assertThat(sleeps).isEmpty();
    }
  }

  @Test
  void missingObjectFailsFastWithoutRetries() throws Exception {
    try (Storage s = retrying(viaProxy())) {
      assertThatThrownBy(() -> read(s.get("index/none"))).isInstanceOf(NoSuchFileException.class)
          .hasMessageContaining("index/none");
      assertThat(sleeps).isEmpty();
    }
  }
}
