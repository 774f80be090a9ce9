package dev.cairn.backup.storage.sftp;

import dev.cairn.backup.Secret;
import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * An embedded Apache MINA SSHD SFTP server on a free loopback port, serving a temporary directory,
 * with a generated host key, a user who logs in with a generated key or a password, and a
 * known_hosts file that trusts the server.
 */
final class SftpTestServer implements AutoCloseable {
  static final String USER = "backup";
  static final Secret PASSWORD = Secret.of("correct horse battery staple");
  private static final AtomicInteger ROOTS = new AtomicInteger();

  final Path dir;
  final Path files;
  final Path clientKey;
  final Path knownHosts;
  final KeyPair hostKey;
  final Path ed25519Key;
  private final SshServer sshd;
  private final Map<Integer, AtomicInteger> requests = new ConcurrentHashMap<>();

  SftpTestServer(Path dir) throws Exception {
    this(dir, true);
  }

  /**
   * A server speaking SFTP v3 like OpenSSH, offering {@code fsync@openssh.com} and, if
   * {@code posixRename}, {@code posix-rename@openssh.com}.
   */
  SftpTestServer(Path dir, boolean posixRename) throws Exception {
    this(dir, posixRename, Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  /**
   * A server as {@link #SftpTestServer(Path, boolean)} whose file reads return at most
   * {@code maxReadAnswer} bytes at a time, so that it answers larger READs short in the middle of
   * a file, as the protocol allows a server to, and whose reads and writes fail (SSH_FX_FAILURE)
   * once they reach offset {@code failAt}, as a bad disk sector or a full disk does. Such a server
   * also refuses fsync: its channels are not file channels. On every server, files named
   * {@code nostat-*} refuse to tell their attributes, and files named {@code bigger-*} report
   * 100,000 bytes more than they hold.
   */
  SftpTestServer(Path dir, boolean posixRename, int maxReadAnswer, long failAt) throws Exception {
    this(dir, posixRename, maxReadAnswer, failAt, "127.0.0.1");
  }

  /** A server as {@link #SftpTestServer(Path)} listening on {@code bindHost}, e.g. {@code ::1}. */
  SftpTestServer(Path dir, String bindHost) throws Exception {
    this(dir, true, Integer.MAX_VALUE, Long.MAX_VALUE, bindHost);
  }

  private SftpTestServer(Path dir, boolean posixRename, int maxReadAnswer, long failAt, String bindHost)
      throws Exception {
    this.dir = dir;
    this.files = Files.createDirectories(dir.resolve("server-files"));
    // Ed25519 host key, as current OpenSSH servers offer first: the client needs an EdDSA provider (Bouncy Castle)
    this.hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    KeyPair userKey = ecKey();
    this.clientKey = dir.resolve("id_ecdsa");
    try (OutputStream out = Files.newOutputStream(clientKey)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(userKey, "cairn-test", null, out);
    }
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost(bindHost);
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.reveal().equals(password));
    KeyPair edKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    this.ed25519Key = dir.resolve("id_ed25519");
    try (OutputStream out = Files.newOutputStream(ed25519Key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(edKey, "cairn-test-ed25519", null, out);
    }
    sshd.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
        && (KeyUtils.compareKeys(key, userKey.getPublic()) || KeyUtils.compareKeys(key, edKey.getPublic())));
    SftpSubsystemFactory sftp = new SftpSubsystemFactory();
    sftp.addSftpEventListener(new SftpEventListener() {
      @Override
      public void received(ServerSession session, int type, int id) {
        requests.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
      }
    });
    sftp.setFileSystemAccessor(new SftpFileSystemAccessor() {
      @Override
      public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle handle, Path file,
          String handleId, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        SeekableByteChannel channel = SftpFileSystemAccessor.super.openFile(subsystem, handle, file, handleId, options,
            attrs);
        return maxReadAnswer < Integer.MAX_VALUE || failAt < Long.MAX_VALUE
            ? new FaultyReads(channel, maxReadAnswer, failAt) : channel;
      }

      @Override
      public NavigableMap<String, Object> resolveReportedFileAttributes(SftpSubsystemProxy subsystem, Path file,
          int flags, NavigableMap<String, Object> attrs, LinkOption... options) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (name.startsWith("nostat-")) {
          throw new AccessDeniedException(file.toString());
        }
        if (name.startsWith("bigger-") && attrs.get("size") instanceof Long size) {
          attrs.put("size", size + 100_000L);
        }
        return attrs;
      }
    });
    sshd.setSubsystemFactories(List.of(sftp));
    sshd.setFileSystemFactory(new VirtualFileSystemFactory(files));
    SftpModuleProperties.SFTP_VERSION.set(sshd, 3);
    // OpenSSH's sshd sets TCP_NODELAY on every connection (packet.c, ssh_packet_set_interactive)
    CoreModuleProperties.TCP_NODELAY.set(sshd, true);
    SftpModuleProperties.OPENSSH_EXTENSIONS.set(sshd,
        posixRename ? "fsync@openssh.com=1,posix-rename@openssh.com=1" : "fsync@openssh.com=1");
    sshd.start();
    this.knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, knownHostsLine("127.0.0.1", port()));
  }

  static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  /** The known_hosts line that trusts this server's key at {@code host:port}. */
  String knownHostsLine(String host, int port) {
    return "[" + host + "]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n";
  }

  int port() {
    return sshd.getPort();
  }

  /** A fresh directory name under the server root, e.g. {@code /repo-3}. */
  static String newRoot() {
    return "/repo-" + ROOTS.incrementAndGet();
  }

  /** A builder for a storage at {@code root} on this server (or at {@code port}, e.g. a proxy), logging in with the key. */
  SftpStorage.Builder storage(String root, int port) {
    return SftpStorage.builder().host("127.0.0.1").port(port).user(USER).privateKey(clientKey)
        .knownHosts(knownHosts).root(root);
  }

  SftpStorage.Builder storage(String root) {
    return storage(root, port());
  }

  /** Writes the server-side file behind {@code root} and object {@code name}, beside the server. */
  void write(String root, String name, byte[] data) throws IOException {
    Path file = file(root, name);
    Files.createDirectories(file.getParent());
    Files.write(file, data);
  }

  /**
   * A {@link FaultyProxy} in front of this server delaying every byte by {@code oneWay} each way,
   * trusted in the known-hosts file under its port.
   */
  FaultyProxy slowLink(Duration oneWay) throws IOException {
    FaultyProxy proxy = FaultyProxy.tcp("127.0.0.1", port()).latency(oneWay);
    Files.writeString(knownHosts, knownHostsLine("127.0.0.1", proxy.port()), StandardOpenOption.APPEND);
    return proxy;
  }

  /** Deterministic pseudo-random bytes. */
  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Reads a stream to its end and closes it. */
  static byte[] read(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  /** The server-side file behind {@code root} and object {@code name}. */
  Path file(String root, String name) {
    return files.resolve(root.substring(1)).resolve(name);
  }

  /** How many SFTP requests of a type ({@code SftpConstants.SSH_FXP_*}) the server has received. */
  int requests(int type) {
    AtomicInteger n = requests.get(type);
    return n == null ? 0 : n.get();
  }

  /** A file channel whose reads return at most {@code max} bytes, and whose reads and writes fail from {@code failAt} on. */
  private static final class FaultyReads implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private final int max;
    private final long failAt;

    FaultyReads(SeekableByteChannel channel, int max, long failAt) {
      this.channel = channel;
      this.max = max;
      this.failAt = failAt;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (channel.position() + Math.min(max, dst.remaining()) > failAt) {
        throw new IOException("injected read failure at offset " + failAt);
      }
      if (dst.remaining() <= max) {
        return channel.read(dst);
      }
      ByteBuffer part = dst.slice(dst.position(), max);
      int n = channel.read(part);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (channel.position() + src.remaining() > failAt) {
        throw new IOException("injected write failure at offset " + failAt);
      }
      return channel.write(src);
    }

    @Override
    public long position() throws IOException {
      return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      channel.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      channel.truncate(size);
      return this;
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  @Override
  public void close() throws IOException {
    sshd.stop(true);
  }
}
