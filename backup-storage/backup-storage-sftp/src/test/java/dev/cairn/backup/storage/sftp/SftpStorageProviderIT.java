package dev.cairn.backup.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.storage.RetryingStorage;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyProxy;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sftp://} URIs through {@link Storages#fromUri} and the provider's credential rules. */
class SftpStorageProviderIT {
  @TempDir static Path dir;
  static SftpTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new SftpTestServer(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void opensAnSftpUriWithAKeyFromTheQuery() throws Exception {
    String uri = "sftp://backup@127.0.0.1:" + server.port() + "/offsite/repo?key=" + server.clientKey
        + "&known-hosts=" + server.knownHosts;
    try (Storage s = Storages.fromUri(uri)) {
      assertThat(s).isInstanceOfSatisfying(RetryingStorage.class,
          r -> assertThat(r.delegate()).isInstanceOf(SftpStorage.class));
      s.put("config", ByteBuffer.wrap(new byte[] {4, 2}));
      try (InputStream in = s.get("config")) {
        assertThat(in.readAllBytes()).containsExactly(4, 2);
      }
    }
    assertThat(Files.readAllBytes(server.files.resolve("offsite/repo/config"))).containsExactly(4, 2);
  }

  @Test
  void aStorageFromAUriRidesOutADroppedConnection() throws Exception {
    byte[] data = new byte[5 << 20];
    new java.util.Random(8).nextBytes(data);
    Path file = server.files.resolve("offsite/dropped/data/00/pack");
    Files.createDirectories(file.getParent());
    Files.write(file, data);
    try (FaultyProxy proxy = FaultyProxy.tcp("127.0.0.1", server.port())) {
      Path knownHosts = dir.resolve("known_hosts_proxy");
      Files.writeString(knownHosts, server.knownHostsLine("127.0.0.1", proxy.port()));
      String uri = "sftp://backup@127.0.0.1:" + proxy.port() + "/offsite/dropped?key=" + server.clientKey
          + "&known-hosts=" + knownHosts;
      try (Storage s = Storages.fromUri(uri); InputStream in = s.get("data/00/pack")) {
        byte[] first = in.readNBytes(1 << 20);
        proxy.dropConnections(); // the CLI and plan files open storages this way: no wrapper of their own
        byte[] rest = in.readAllBytes();
        assertThat(ByteBuffer.allocate(data.length).put(first).put(rest).array()).isEqualTo(data);
        s.put("snapshots/after", ByteBuffer.wrap(new byte[] {1})); // a new session for the next operation
      }
      assertThat(Files.readAllBytes(server.files.resolve("offsite/dropped/snapshots/after"))).containsExactly(1);
    }
  }

  @Test
  void opensAnIpv6HostLiteral(@TempDir Path tmp) throws Exception {
    SftpTestServer v6;
    try {
      v6 = new SftpTestServer(tmp, "::1");
    } catch (java.io.IOException noIpv6) {
      org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback: " + noIpv6);
      return;
    }
    try (v6) {
      Path knownHosts = tmp.resolve("known_hosts_v6");
      Files.writeString(knownHosts, v6.knownHostsLine("::1", v6.port())); // as ssh-keyscan writes it: [::1]:PORT
      String uri = "sftp://backup@[::1]:" + v6.port() + "/v6/repo?key=" + v6.clientKey + "&known-hosts=" + knownHosts;
      try (Storage s = Storages.fromUri(uri)) {
        s.put("config", ByteBuffer.wrap(new byte[] {6}));
        assertThat(s.location()).isEqualTo("sftp://backup@[::1]:" + v6.port() + "/v6/repo");
      }
      assertThat(Files.readAllBytes(v6.files.resolve("v6/repo/config"))).containsExactly(6);
    }
  }

  @Test
  void aPlusInAParameterIsAPlusNotASpace(@TempDir Path tmp) throws Exception {
    // a URI's query is not a form: '+' is a character of the file name (%20 or a space is a space)
    Path key = Files.copy(server.clientKey, Files.createDirectories(tmp.resolve("c++")).resolve("id+nas"));
    Path knownHosts = Files.copy(server.knownHosts, tmp.resolve("known hosts+"));
    String uri = "sftp://backup@127.0.0.1:" + server.port() + "/plus?key=" + key + "&known-hosts="
        + knownHosts.toString().replace(" ", "%20");
    try (Storage s = Storages.fromUri(uri)) {
      assertThat(s.list("")).isEmpty();
    }
  }

  @Test
  void aUserNameWithAnAtSignIsWrittenPercentEncoded() throws Exception {
    // domain accounts (first.last@corp.example) are common SFTP user names; a second '@' leaves java.net.URI without a host
    assertThatThrownBy(() -> Storages.fromUri("sftp://first.last@corp.example@nas/srv/repo"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("%40")
        .hasMessageContaining("sftp://first.last%40corp.example@nas/");
    Map<String, String> env = Map.of(SftpStorageProvider.PASSWORD_VARIABLE, "pw");
    SftpStorageProvider provider = new SftpStorageProvider(env::get, dir.resolve("home"));
    try (Storage s = provider.open(URI.create("sftp://first.last%40corp.example@nas/srv/repo"))) {
      assertThat(s.location()).isEqualTo("sftp://first.last%40corp.example@nas/srv/repo");
    }
  }

  @Test
  void takesThePasswordFromTheEnvironment() throws Exception {
    Map<String, String> env = Map.of(SftpStorageProvider.PASSWORD_VARIABLE, SftpTestServer.PASSWORD.reveal());
    SftpStorageProvider provider = new SftpStorageProvider(env::get, dir.resolve("home"));
    URI uri = URI.create("sftp://backup@127.0.0.1:" + server.port() + "/~/pw-repo?known-hosts=" + server.knownHosts);
    try (Storage s = provider.open(uri)) {
      s.put("config", ByteBuffer.wrap(new byte[3]));
      assertThat(s.location()).endsWith("/~/pw-repo");
    }
    assertThat(server.files.resolve("pw-repo/config")).exists();
  }

  @Test
  void usesTheDefaultKeyAndKnownHostsOfTheHomeDirectory(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve(".ssh"));
    Files.copy(server.clientKey, home.resolve(".ssh/id_ecdsa"));
    Files.copy(server.knownHosts, home.resolve(".ssh/known_hosts"));
    SftpStorageProvider provider = new SftpStorageProvider(name -> null, home);
    try (Storage s = provider.open(URI.create("sftp://backup@127.0.0.1:" + server.port() + "/default-key"))) {
      assertThat(s.list("")).isEmpty();
    }
  }

  @Test
  void rejectsBadUrisNamingThePart(@TempDir Path home) {
    assertThatThrownBy(() -> Storages.fromUri("sftp://backup:hunter2@host/repo")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("CAIRN_SFTP_PASSWORD").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Storages.fromUri("sftp://backup@host/repo?keyfile=x")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown parameter 'keyfile'");
    assertThatThrownBy(() -> Storages.fromUri("sftp://backup@host/repo?host-key-check=no&key=" + server.clientKey))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("strict or accept-new");
    SftpStorageProvider noCredentials = new SftpStorageProvider(name -> null, home);
    assertThatThrownBy(() -> noCredentials.open(URI.create("sftp://backup@host/repo")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no way to log in to host");
  }

  @Test
  void schemeWithoutProviderNamesTheModuleToAdd() {
    // backup-storage-s3 is not on this module's class path
    assertThatThrownBy(() -> Storages.fromUri("s3://bucket/prefix"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("dev.cairn:backup-storage-s3");
  }
}
