package dev.cairn.backup.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Secret;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.testing.StorageCompatibilityKit;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SftpStorage} against a real SFTP server (embedded Apache MINA SSHD) with strict host key checking. */
class SftpStorageIT extends StorageCompatibilityKit {
  @TempDir static Path dir;
  static SftpTestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new SftpTestServer(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected Storage createStorage() {
    return server.storage(SftpTestServer.newRoot()).build();
  }

  @Test
  void temporaryFilesOfInterruptedUploadsAreRemovedAsLeftoversOnceOldEnough() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpStorage s = server.storage(root).build()) {
      s.put("data/ab/obj", ByteBuffer.wrap(new byte[] {1, 2, 3}));
      s.put("index/i1", ByteBuffer.wrap(new byte[] {4}));
      // what a connection lost in the middle of uploads leaves: temporaries that never got their name
      Path stale = server.file(root, "data/ab/.pack.0f3a.cairn-tmp");
      Path fresh = server.file(root, "index/.i2.77c1.cairn-tmp");
      Files.write(stale, new byte[100]);
      Files.write(fresh, new byte[10]);
      Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
      assertThat(s.removeLeftovers(java.time.Instant.now().minusSeconds(3600))).isEqualTo(1);
      assertThat(stale).doesNotExist();
      assertThat(fresh).as("younger than the cut-off: perhaps an upload still running").exists();
      assertThat(s.list("")).extracting(dev.cairn.backup.spi.StorageObject::name)
          .containsExactlyInAnyOrder("data/ab/obj", "index/i1");
    }
  }

  @Test
  void objectsAreFilesUnderTheRootAndLocationNamesTheServer() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpStorage s = server.storage(root).build()) {
      s.put("data/ab/obj", ByteBuffer.wrap(new byte[] {1, 2, 3}));
      assertThat(Files.readAllBytes(server.file(root, "data/ab/obj"))).containsExactly(1, 2, 3);
      assertThat(s.location()).isEqualTo("sftp://backup@127.0.0.1:" + server.port() + root);
      assertThat(s.tcpNoDelay()).as("requests go out at once, not held back by Nagle's algorithm").isTrue();
      try (Stream<Path> files = Files.list(server.file(root, "data/ab"))) {
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("obj"); // no temporary left
      }
    }
  }

  @Test
  void serverSpeaksSftpV3WithAtomicRenameAndFsync() throws Exception {
    try (SftpStorage s = createSftp()) {
      // the test server speaks SFTP v3 like OpenSSH; put() relies on these for an atomic replace and a durable upload
      assertThat(s.sftpVersion()).isEqualTo(3);
      assertThat(s.serverExtensions()).contains("posix-rename@openssh.com", "fsync@openssh.com");
    }
  }

  @Test
  void prefersAesGcmWhereTheCpuHasAesInstructions() throws Exception {
    try (SftpStorage s = createSftp()) {
      // MINA's first choice, chacha20-poly1305, is plain Java; the JDK's AES-GCM runs on AES-NI
      assertThat(s.cipher()).isEqualTo(SftpStorage.hasAesInstructions()
          ? "aes128-gcm@openssh.com" : "chacha20-poly1305@openssh.com");
    }
  }

  @Test
  void cipherPreferencePutsAesGcmFirstOnlyWithAesInstructions() {
    List<NamedFactory<Cipher>> mina = List.of(BuiltinCiphers.cc20p1305_openssh, BuiltinCiphers.aes128ctr,
        BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm);
    assertThat(SftpStorage.cipherPreference(mina, true)).extracting(NamedFactory::getName).containsExactly(
        "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr");
    assertThat(SftpStorage.cipherPreference(mina, false)).isEqualTo(mina);
    // a list without GCM (configured away) gains none
    assertThat(SftpStorage.cipherPreference(List.of(BuiltinCiphers.aes256ctr), true))
        .extracting(NamedFactory::getName).containsExactly("aes256-ctr");
  }

  @Test
  void worksOnAServerWithoutPosixRename(@TempDir Path tmp) throws Exception {
    try (SftpTestServer plain = new SftpTestServer(tmp, false);
         SftpStorage s = plain.storage("/plain").build()) {
      assertThat(s.serverExtensions()).doesNotContain("posix-rename@openssh.com");
      byte[] data = randomBytes(70_000, 9);
      s.put("data/ee/obj", ByteBuffer.wrap(data));
      s.put("data/ee/obj", ByteBuffer.wrap(data)); // plain rename refuses an existing target: the object stays whole
      assertThat(readAll(s.get("data/ee/obj"))).isEqualTo(data);
      assertThat(s.list("data/")).containsExactly(new StorageObject("data/ee/obj", data.length));
      try (Stream<Path> files = Files.list(plain.file("/plain", "data/ee"))) {
        assertThat(files).hasSize(1); // the second upload's temporary file was removed
      }
    }
  }

  @Test
  void logsInWithAnEd25519Key() throws Exception {
    try (SftpStorage s = server.storage(SftpTestServer.newRoot()).privateKey(server.ed25519Key).build()) {
      s.put("config", ByteBuffer.wrap(new byte[4]));
      assertThat(s.stat("config")).contains(new StorageObject("config", 4));
    }
  }

  @Test
  void logsInWithAPassword() throws Exception {
    try (SftpStorage s = SftpStorage.builder().host("127.0.0.1").port(server.port()).user(SftpTestServer.USER)
        .password(SftpTestServer.PASSWORD).knownHosts(server.knownHosts).root(SftpTestServer.newRoot()).build()) {
      s.put("config", ByteBuffer.wrap(new byte[10]));
      assertThat(s.stat("config")).contains(new StorageObject("config", 10));
    }
  }

  @Test
  void anEncryptedKeyNeedsItsPassphraseAndTheMessageSaysSo(@TempDir Path tmp) throws Exception {
    KeyPair userKey = new FileKeyPairProvider(server.clientKey).loadKeys(null).iterator().next();
    Path encrypted = tmp.resolve("id_ecdsa_encrypted");
    OpenSSHKeyEncryptionContext cipher = new OpenSSHKeyEncryptionContext();
    cipher.setPassword("open sesame");
    cipher.setCipherName("AES");
    cipher.setCipherMode("CTR");
    cipher.setCipherType("256");
    try (OutputStream out = Files.newOutputStream(encrypted)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "cairn-test", cipher, out);
    }
    assertThatThrownBy(() -> server.storage("/x").privateKey(encrypted).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(encrypted.toString())
        .hasMessageContaining("is encrypted").hasMessageContaining("CAIRN_SFTP_KEY_PASSPHRASE");
    assertThatThrownBy(() -> server.storage("/x").privateKey(encrypted).privateKeyPassphrase(Secret.of("wrong")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(encrypted.toString())
        .hasMessageContaining("wrong passphrase").hasMessageNotContaining("open sesame");
    try (SftpStorage s = server.storage(SftpTestServer.newRoot()).privateKey(encrypted)
        .privateKeyPassphrase(Secret.of("open sesame")).build()) {
      s.put("config", ByteBuffer.wrap(new byte[2]));
      assertThat(s.stat("config")).contains(new StorageObject("config", 2));
    }
  }

  @Test
  void wrongPasswordIsAPermanentErrorNamingTheUser() {
    try (SftpStorage s = SftpStorage.builder().host("127.0.0.1").port(server.port()).user(SftpTestServer.USER)
        .password(Secret.of("wrong")).knownHosts(server.knownHosts).build()) {
      assertThatThrownBy(() -> s.stat("config"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessageContaining("authentication of backup@127.0.0.1:" + server.port() + " failed")
          .hasMessageNotContaining("wrong");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void unknownHostKeyIsRefusedByDefault(@TempDir Path tmp) throws Exception {
    Path empty = Files.createFile(tmp.resolve("known_hosts"));
    try (SftpStorage s = server.storage("/x").knownHosts(empty).build()) {
      assertThatThrownBy(() -> s.list(""))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
          .hasMessageContaining("host key SHA256:").hasMessageContaining("is not trusted")
          .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty);
    }
    assertThat(Files.readString(empty)).isEmpty();
  }

  @Test
  void acceptNewTrustsOnFirstUseAndRemembersTheKey(@TempDir Path tmp) throws Exception {
    Path knownHosts = tmp.resolve("known_hosts");
    try (SftpStorage s = server.storage(SftpTestServer.newRoot()).knownHosts(knownHosts)
        .hostKeyPolicy(SftpStorage.HostKeyPolicy.ACCEPT_NEW).build()) {
      assertThat(s.list("")).isEmpty();
    }
    assertThat(Files.readString(knownHosts)).contains("127.0.0.1");
    try (SftpStorage strict = server.storage(SftpTestServer.newRoot()).knownHosts(knownHosts).build()) {
      assertThat(strict.list("")).isEmpty(); // now known: strict checking passes
    }
  }

  @Test
  void acceptNewCreatesAMissingKnownHostsDirectoryAndRecordsTheKey(@TempDir Path tmp) throws Exception {
    // a service user without ~/.ssh: the key must be recorded, or the next impostor is trusted too
    Path knownHosts = tmp.resolve("home/.ssh/known_hosts");
    try (SftpStorage s = server.storage(SftpTestServer.newRoot()).knownHosts(knownHosts)
        .hostKeyPolicy(SftpStorage.HostKeyPolicy.ACCEPT_NEW).build()) {
      assertThat(s.list("")).isEmpty();
    }
    assertThat(knownHosts).exists();
    assertThat(Files.readString(knownHosts)).contains("127.0.0.1");
    try (SftpStorage strict = server.storage(SftpTestServer.newRoot()).knownHosts(knownHosts).build()) {
      assertThat(strict.list("")).isEmpty();
    }
  }

  @Test
  void acceptNewRefusesAKeyItCannotCheckOrRecord(@TempDir Path tmp) throws Exception {
    // trusting a key that is not recorded would trust every later key as well: accept-new would be accept-all
    Path notADirectory = Files.createFile(tmp.resolve("file"));
    Path unwritable = notADirectory.resolve("known_hosts");
    Path unreadable = Files.createDirectories(tmp.resolve("known_hosts"));
    for (Path knownHosts : List.of(unwritable, unreadable)) {
      try (SftpStorage s = server.storage("/x").knownHosts(knownHosts)
          .hostKeyPolicy(SftpStorage.HostKeyPolicy.ACCEPT_NEW).build()) {
        assertThatThrownBy(() -> s.list("")).as(knownHosts.toString())
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isPermanent()).isTrue())
            .hasMessageContaining("host key SHA256:").hasMessageContaining(knownHosts.toString())
            .hasMessageContaining("cannot be");
      }
    }
    assertThat(Files.size(notADirectory)).isZero();
  }

  @Test
  void changedHostKeyIsRefusedEvenWithAcceptNew(@TempDir Path tmp) throws Exception {
    Path knownHosts = tmp.resolve("known_hosts");
    SftpTestServer impostor = new SftpTestServer(tmp.resolve("impostor"));
    try {
      // known_hosts says 127.0.0.1:port has the real server's key; the impostor answers there with another key
      Files.writeString(knownHosts, server.knownHostsLine("127.0.0.1", impostor.port()));
      try (SftpStorage s = impostor.storage("/x").knownHosts(knownHosts)
          .hostKeyPolicy(SftpStorage.HostKeyPolicy.ACCEPT_NEW).build()) {
        assertThatThrownBy(() -> s.list("")).isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.isPermanent()).isTrue()).hasMessageContaining("differs from the key recorded");
      }
    } finally {
      impostor.close();
    }
  }

  @Test
  void reconnectsAfterTheSessionDrops() throws Exception {
    try (SftpStorage s = createSftp()) {
      s.put("index/a", ByteBuffer.wrap(new byte[5]));
      s.dropSession();
      assertThat(s.stat("index/a")).contains(new StorageObject("index/a", 5));
      s.dropSession();
      s.put("index/b", ByteBuffer.wrap(new byte[6]));
      assertThat(s.list("index/")).hasSize(2);
    }
  }

  @Test
  void temporaryFilesOfBrokenUploadsAreNotListed() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpStorage s = server.storage(root).build()) {
      s.put("data/cd/whole", ByteBuffer.wrap(new byte[3]));
      Files.write(server.file(root, "data/cd/.half.1234" + SftpStorage.TMP_SUFFIX), new byte[2]);
      assertThat(s.list("")).containsExactly(new StorageObject("data/cd/whole", 3));
    }
  }

  @Test
  void relativeRootIsUnderTheLoginDirectory() throws Exception {
    try (SftpStorage s = server.storage("nested/repo").build()) {
      s.put("config", ByteBuffer.wrap(new byte[1]));
      assertThat(s.location()).endsWith("/~/nested/repo");
    }
    assertThat(server.files.resolve("nested/repo/config")).exists();
  }

  @Test
  void builderNamesWhatIsMissing(@TempDir Path tmp) {
    assertThatThrownBy(() -> SftpStorage.builder().user("u").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("host");
    assertThatThrownBy(() -> SftpStorage.builder().host("h").user("u").build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("privateKey(...) or password(...)");
    assertThatThrownBy(() -> SftpStorage.builder().host("h").user("u").privateKey(tmp.resolve("nope")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(tmp.resolve("nope").toString());
    assertThatThrownBy(() -> SftpStorage.builder().root("/a/../etc")).isInstanceOf(IllegalArgumentException.class);
  }

  private SftpStorage createSftp() {
    return server.storage(SftpTestServer.newRoot()).build();
  }
}
