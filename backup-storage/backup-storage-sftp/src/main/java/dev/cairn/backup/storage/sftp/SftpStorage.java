package dev.cairn.backup.storage.sftp;

import com.google.common.base.Throwables;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.cairn.backup.Secret;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageNames;
import dev.cairn.backup.spi.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.FullAccessSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage in a directory of an SFTP server (OpenSSH or any SFTP v3+ server), over Apache MINA SSHD.
 *
 * <p>Uploads go to a hidden temporary name in the target directory ({@code .NAME.UUID.cairn-tmp}),
 * are flushed to disk where the server offers {@code fsync@openssh.com}, and are then renamed into
 * place ({@code posix-rename@openssh.com} where offered, which replaces atomically): a reader never
 * sees a partial object under its real name. A connection lost mid-upload can leave a temporary file,
 * which {@link #list} never reports. The server's host key is checked against a {@code known_hosts}
 * file, strictly by default. A read waits for two round trips: one to open the file and one for all
 * its READs, sent together (see {@code PipelinedRead}). A dropped session is reopened by the next operation; the operation that
 * was running when it dropped fails with a plain (transient) {@link IOException}. Wrap the storage in
 * {@link dev.cairn.backup.Storages#retrying} to have such failures retried.
 *
 * <pre>{@code
 * Storage onsite = SftpStorage.builder()
 *     .host("nas.internal").user("backup")
 *     .privateKey(Path.of("/etc/cairn/id_ed25519"))
 *     .root("/volume1/backups/infra")
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: operations share one SSH session and SFTP channel. {@link #close()} ends them.
 */
public final class SftpStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(SftpStorage.class);
  static final String TMP_SUFFIX = ".cairn-tmp";
  private static final long CHANNEL_WINDOW = 16L << 20;
  private static final int LIST_THREADS = 8;

  /** How to treat a server whose host key is not in the known-hosts file. */
  public enum HostKeyPolicy {
    /** Refuse it (like OpenSSH's {@code StrictHostKeyChecking yes}). The default. */
    STRICT,
    /**
     * Trust it on first use and add it to the known-hosts file (like {@code StrictHostKeyChecking
     * accept-new}); a host whose key changed is still refused.
     */
    ACCEPT_NEW
  }

  private final String host;
  private final int port;
  private final String user;
  private final String root;
  private final Secret password;
  private final List<KeyPair> keys;
  private final Path knownHosts;
  private final HostKeyPolicy hostKeyPolicy;
  private final Duration connectTimeout;
  private final String location;
  private final SshClient ssh;
  private final AtomicReference<String> rejectedHostKey = new AtomicReference<>();
  /** Why the host key was refused, where it is not the usual unknown or changed key. */
  private final AtomicReference<String> hostKeyProblem = new AtomicReference<>();
  private final Set<String> knownDirectories = ConcurrentHashMap.newKeySet();
  private final Object connectionLock = new Object();
  private Connection connection;
  private ExecutorService listPool;
  private boolean closed;

  /**
   * One SSH session, its SFTP channel, the answers on it that nobody waits for, and the most the
   * server reads at a time (see {@link PipelinedRead}).
   */
  private record Connection(ClientSession session, SftpClient sftp, UnclaimedReplies unclaimed,
      AtomicInteger readSize, AtomicBoolean broken) {
    /**
     * Open, not closing and not {@linkplain #markBroken broken}: a session being torn down (a
     * dropped connection) is replaced at once.
     */
    boolean isOpen() {
      return !broken.get() && session.isOpen() && !session.isClosing() && sftp.isOpen() && !sftp.isClosing();
    }

    /**
     * Marks the session unusable after {@code failure} if that is a failure of the transport: MINA
     * may still call a session open for a moment after its socket closed, and an operation retried
     * at once would fail on it again.
     */
    void markBrokenIf(Throwable failure) {
      if (isTransportFailure(failure)) {
        broken.set(true);
      }
    }

    void close() {
      try {
        sftp.close();
      } catch (IOException | RuntimeException ignored) {
        // the session may be gone already
      }
      session.close(true);
    }
  }

  private SftpStorage(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.user = b.user;
    this.root = b.root;
    this.password = b.password;
    this.keys = b.keys;
    this.knownHosts = b.knownHosts;
    this.hostKeyPolicy = b.hostKeyPolicy;
    this.connectTimeout = b.connectTimeout;
    this.location = "sftp://" + user.replace("@", "%40") + "@" + (host.contains(":") ? "[" + host + "]" : host) + (port == 22 ? "" : ":" + port)
        + (root.startsWith("/") ? "" : "/~/") + root;
    ServerKeyVerifier known = new KnownHosts(
        hostKeyPolicy == HostKeyPolicy.STRICT ? RejectAllServerKeyVerifier.INSTANCE : AcceptAllServerKeyVerifier.INSTANCE,
        knownHosts);
    this.ssh = SshClient.setUpDefaultClient();
    ssh.setServerKeyVerifier((ClientSession session, SocketAddress remote, PublicKey key) -> {
      boolean ok = known.verifyServerKey(session, remote, key);
      if (!ok) {
        rejectedHostKey.set(KeyUtils.getFingerPrint(key));
      }
      return ok;
    });
    // Only the identities given here: neither ~/.ssh/config nor default key files change what we connect to.
    ssh.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    ssh.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    // SFTP is request and answer: without TCP_NODELAY, Nagle's algorithm holds a small request back
    // until the server acknowledges the previous segment, which it may delay (40 ms on Linux). Through a
    // 20 ms round trip, 40 ranged reads took 9.5 s with it and 7.9 s without (FaultyProxy.latency)
    CoreModuleProperties.TCP_NODELAY.set(ssh, true);
    // What the server may send before the client's next window adjustment, shared by every read on
    // the channel. MINA's 2 MiB held a restore through a 20 ms round trip at 2 MiB per round trip
    // (1.1 GiB: 12.2 s; 16 MiB: 9.6 s). Memory stays bounded by the READs in flight (PipelinedRead).
    CoreModuleProperties.WINDOW_SIZE.set(ssh, CHANNEL_WINDOW);
    ssh.setCipherFactories(cipherPreference(ssh.getCipherFactories(), hasAesInstructions()));
    ssh.start();
  }

  /**
   * MINA's known_hosts checking, except that a new key is trusted only once it is recorded. MINA
   * trusts it (with {@link HostKeyPolicy#ACCEPT_NEW}) even where it cannot write the file (no
   * {@code ~/.ssh} directory, a read-only file) or cannot read it (a directory): nothing is recorded,
   * so every later key is new as well, and accept-new becomes accept-all. A missing directory is
   * created (owner only, as OpenSSH creates {@code ~/.ssh}); a file that cannot be read or written
   * refuses the key.
   */
  private final class KnownHosts extends KnownHostsServerKeyVerifier {
    private final ThreadLocal<Throwable> notRecorded = new ThreadLocal<>();

    KnownHosts(ServerKeyVerifier unknownKeys, Path file) {
      super(unknownKeys, file);
    }

    /**
     * Also the host as given, for an IPv6 literal: MINA names it only in full ({@code
     * [0:0:0:0:0:0:0:1]:2222}), where ssh-keyscan and OpenSSH write it as given ({@code [::1]:2222}),
     * so a known-hosts line made by them never matched.
     */
    @Override
    protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession session, SocketAddress remote) {
      Collection<SshdSocketAddress> found = super.resolveHostNetworkIdentities(session, remote);
      if (!host.contains(":")) {
        return found;
      }
      Set<SshdSocketAddress> all = new TreeSet<>(SshdSocketAddress.BY_HOST_AND_PORT);
      all.add(new SshdSocketAddress(host, port));
      all.addAll(found);
      return all;
    }

    @Override
    protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress remote, PublicKey key,
        Throwable reason) {
      hostKeyProblem.set(knownHosts + " cannot be read (" + reason.getMessage() + ")");
      return false;
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
      notRecorded.remove();
      try {
        boolean accepted = super.acceptUnknownHostKey(session, remote, key);
        Throwable failure = notRecorded.get();
        if (accepted && failure != null) {
          hostKeyProblem.set("it is new, and " + knownHosts + " cannot be written to record it (" + failure + ")");
          return false;
        }
        return accepted;
      } finally {
        notRecorded.remove();
      }
    }

    @Override
    protected KnownHostEntry updateKnownHostsFile(ClientSession session, SocketAddress remote, PublicKey key,
        Path file, Collection<HostEntryPair> known) throws Exception {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(parent);
        }
      }
      return super.updateKnownHostsFile(session, remote, key, file, known);
    }

    @Override
    protected void handleKnownHostsFileUpdateFailure(ClientSession session, SocketAddress remote, PublicKey key,
        Path file, Collection<HostEntryPair> known, Throwable reason) {
      notRecorded.set(reason);
    }
  }

  /**
   * The ciphers to offer, most preferred first. MINA prefers chacha20-poly1305@openssh.com, which it
   * implements in plain Java: restoring 1.1 GiB from OpenSSH spent more CPU on it than on the
   * repository's own decryption. Where the JVM uses the CPU's AES instructions, the AES-GCM ciphers
   * (as strong, and the JDK's AES-GCM runs on those instructions) go first; elsewhere the order is
   * MINA's, whose ChaCha20 at least takes constant time where table-based AES would not.
   */
  static List<NamedFactory<Cipher>> cipherPreference(List<NamedFactory<Cipher>> offered, boolean aesInstructions) {
    if (!aesInstructions) {
      return offered;
    }
    List<NamedFactory<Cipher>> gcmFirst = new ArrayList<>();
    for (NamedFactory<Cipher> gcm : List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm)) {
      if (offered.stream().anyMatch(f -> f.getName().equals(gcm.getName()))) {
        gcmFirst.add(gcm);
      }
    }
    for (NamedFactory<Cipher> f : offered) {
      if (gcmFirst.stream().noneMatch(g -> g.getName().equals(f.getName()))) {
        gcmFirst.add(f);
      }
    }
    return gcmFirst;
  }

  /** Whether HotSpot runs AES on the CPU's instructions ({@code -XX:+UseAES}, on by default where the CPU has them). */
  static boolean hasAesInstructions() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotspot != null && Boolean.parseBoolean(hotspot.getVMOption("UseAES").getValue());
    } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException | LinkageError e) {
      return false; // not HotSpot, or a runtime without jdk.management: keep MINA's order
    }
  }

  /** Whether the SSH connections send small writes at once (TCP_NODELAY); for tests. */
  boolean tcpNoDelay() {
    return CoreModuleProperties.TCP_NODELAY.getRequired(ssh);
  }

  /** Returns a builder; {@link Builder#host(String)} and {@link Builder#user(String)} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public String toString() {
    return location;
  }

  private String path(String name) {
    String checked = StorageNames.check(name);
    return root.isEmpty() ? checked : root.equals("/") ? "/" + checked : root + "/" + checked;
  }

  // ---- connection handling -------------------------------------------------------------------

  private Connection connection() throws IOException {
    synchronized (connectionLock) {
      if (closed) {
        throw new IOException("storage " + location + " is closed");
      }
      if (connection != null && connection.isOpen()) {
        return connection;
      }
      if (connection != null) {
        LOG.warn("SFTP session to {} was lost; reconnecting", location);
        connection.close();
        connection = null;
      }
      connection = connect();
      return connection;
    }
  }

  private Connection connect() throws IOException {
    rejectedHostKey.set(null);
    hostKeyProblem.set(null);
    ClientSession session = null;
    try {
      session = ssh.connect(user, host, port).verify(connectTimeout).getSession();
      if (password != null) {
        session.addPasswordIdentity(password.reveal());
      }
      for (KeyPair key : keys) {
        session.addPublicKeyIdentity(key);
      }
      session.auth().verify(connectTimeout);
      SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
      LOG.debug("connected to {} (SFTP v{})", location, sftp.getVersion());
      return new Connection(session, sftp, new UnclaimedReplies((FullAccessSftpClient) sftp),
          new AtomicInteger(PipelinedRead.REQUEST), new AtomicBoolean());
    } catch (IOException | RuntimeException e) {
      if (session != null) {
        session.close(true);
      }
      String fingerprint = rejectedHostKey.get();
      String problem = hostKeyProblem.get();
      if (fingerprint != null && problem != null) {
        throw new StorageException("host key " + fingerprint + " of " + hostAndPort() + " is not trusted: "
            + problem + "; fix the known-hosts file, or check the fingerprint with the server's administrator and "
            + "give a known-hosts file that lists it", true, e);
      }
      if (fingerprint != null) {
        throw new StorageException("host key " + fingerprint + " of " + hostAndPort() + " is not trusted: it is "
            + "missing from " + knownHosts + " or differs from the key recorded there. Check the fingerprint with "
            + "the server's administrator, then add it (ssh-keyscan -p " + port + " " + host + " >> " + knownHosts
            + ") or connect once with host key policy ACCEPT_NEW", true, e);
      }
      if (session != null && session.isOpen() || isAuthFailure(e)) {
        throw new StorageException("authentication of " + user + "@" + hostAndPort() + " failed: "
            + e.getMessage() + "; check the user, the private key or the password (CAIRN_SFTP_PASSWORD)", true, e);
      }
      if (Throwables.getCausalChain(e).stream().anyMatch(UnresolvedAddressException.class::isInstance)) {
        throw new IOException("cannot connect to " + location + ": host name '" + host + "' does not resolve; "
            + "check the host in the repository URI and the DNS", e);
      }
      throw new IOException("cannot connect to " + location + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port}, an IPv6 address in brackets. */
  private String hostAndPort() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Whether {@code e} is a failure of the SSH transport (the socket closed, the session ended)
   * rather than an answer of the server or an interruption.
   */
  static boolean isTransportFailure(Throwable e) {
    return Throwables.getCausalChain(e).stream()
        .anyMatch(t -> t instanceof ClosedChannelException || t instanceof SshException);
  }

  private static boolean isAuthFailure(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No more authentication methods") || m.contains("authentication");
  }

  @FunctionalInterface
  private interface SftpCall<T> {
    T call(SftpClient sftp) throws IOException;
  }

  @FunctionalInterface
  private interface ConnectionCall<T> {
    T call(Connection connection) throws IOException;
  }

  /**
   * Runs a call on the current session (reconnecting first if it has dropped). A failure of the
   * session itself is thrown as a plain, transient {@link IOException}; the next call reconnects.
   */
  private <T> T call(String op, String name, SftpCall<T> call) throws IOException {
    return callOn(op, name, c -> call.call(c.sftp()));
  }

  private <T> T callOn(String op, String name, ConnectionCall<T> call) throws IOException {
    Connection c = connection();
    try {
      return call.call(c);
    } catch (SftpException e) {
      throw translate(op, name, e);
    } catch (IllegalStateException e) {
      // MINA's client reports some write failures so (a write still pending after its timeout)
      throw new IOException("cannot " + op + " '" + name + "' in " + location + ": " + e.getMessage(), e);
    } catch (InterruptedIOException e) {
      InterruptedIOException named = new InterruptedIOException("interrupted: " + op + " '" + name + "' in " + location);
      named.initCause(e);
      throw named;
    } catch (IOException e) {
      c.markBrokenIf(e);
      throw new IOException("cannot " + op + " '" + name + "' in " + location + ": " + e.getMessage()
          + (c.isOpen() ? "" : " (session lost; the next operation reconnects)"), e);
    }
  }

  private IOException translate(String op, String name, SftpException e) {
    String what = op + " '" + name + "' in " + location;
    switch (e.getStatus()) {
      case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> {
        NoSuchFileException nsf = new NoSuchFileException(name, null, "no object '" + name + "' in " + location);
        nsf.initCause(e);
        return nsf;
      }
      case SftpConstants.SSH_FX_PERMISSION_DENIED -> {
        AccessDeniedException ade = new AccessDeniedException(name, null, "cannot " + what
            + ": permission denied; check the ownership and modes of the directory on the server");
        ade.initCause(e);
        return ade;
      }
      case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
          throw new StorageException("cannot " + what + ": no space left on the server (" + e.getMessage()
              + "); free space or prune the repository", true, e);
      default -> {
        return new IOException("cannot " + what + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean isMissing(SftpException e) {
    return e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH;
  }

  // ---- operations ----------------------------------------------------------------------------

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    String target = path(name);
    int slash = target.lastIndexOf('/');
    String dir = slash < 0 ? "" : target.substring(0, slash);
    String tmp = (slash < 0 ? "" : dir + "/") + "." + target.substring(slash + 1) + "." + UUID.randomUUID() + TMP_SUFFIX;
    callOn("put", name, c -> {
      c.unclaimed().collect();
      SftpClient sftp = c.sftp();
      ensureDirectory(sftp, dir);
      boolean renamed = false;
      try {
        upload(c, tmp, content.duplicate(), "'" + name + "' in " + location);
        rename(sftp, tmp, target);
        renamed = true;
      } finally {
        if (!renamed && sftp.isOpen()) {
          // sent, not waited for: the thread may be interrupted, and MINA's blocking wait would then
          // close the session; the server removes it after the CLOSE sent before
          Buffer remove = new ByteArrayBuffer();
          remove.putString(tmp);
          try {
            c.unclaimed().add(((FullAccessSftpClient) sftp).write(SftpConstants.SSH_FXP_REMOVE, remove).getId());
          } catch (IOException | RuntimeException ignored) {
            // the session is gone: list() ignores temporary files either way
          }
        }
      }
      return null;
    });
    LOG.debug("put {} ({} bytes) into {}", name, content.remaining(), location);
  }

  /**
   * Writes {@code src} into a new file {@code tmp}: one round trip to open it, then the data, the
   * fsync and the close together (see {@link PipelinedWrite}).
   */
  private static void upload(Connection c, String tmp, ByteBuffer src, String what) throws IOException {
    SftpClient sftp = c.sftp();
    OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
    boolean flush = fsync != null && fsync.isSupported();
    Duration timeout = CoreModuleProperties.IDLE_TIMEOUT.getRequired(c.session());
    SftpClient.CloseableHandle handle = sftp.open(tmp, EnumSet.of(SftpClient.OpenMode.Write,
        SftpClient.OpenMode.Create, SftpClient.OpenMode.Exclusive));
    PipelinedWrite.write((FullAccessSftpClient) sftp, handle, src, flush, c.unclaimed(), timeout, what);
  }

  private static void rename(SftpClient sftp, String tmp, String target) throws IOException {
    OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported()) {
      posix.posixRename(tmp, target);
      return;
    }
    try {
      sftp.rename(tmp, target);
    } catch (SftpException e) {
      // Plain SFTP v3 rename refuses an existing target. The repository only rewrites a name with the
      // same content, so an existing object is already the right one.
      if (exists(sftp, target)) {
        sftp.remove(tmp);
        return;
      }
      throw e;
    }
  }

  private static boolean exists(SftpClient sftp, String path) throws IOException {
    try {
      sftp.stat(path);
      return true;
    } catch (SftpException e) {
      if (isMissing(e)) {
        return false;
      }
      throw e;
    }
  }

  private void ensureDirectory(SftpClient sftp, String dir) throws IOException {
    if (dir.isEmpty() || dir.equals("/") || knownDirectories.contains(dir)) {
      return;
    }
    try {
      SftpClient.Attributes attrs = sftp.stat(dir);
      if (!attrs.isDirectory()) {
        throw new StorageException(dir + " on " + host + " exists and is not a directory", true);
      }
    } catch (SftpException e) {
      if (!isMissing(e)) {
        throw e;
      }
      int slash = dir.lastIndexOf('/');
      if (slash > 0) {
        ensureDirectory(sftp, dir.substring(0, slash));
      }
      try {
        sftp.mkdir(dir);
      } catch (SftpException race) {
        if (!exists(sftp, dir)) {
          throw race;
        }
      }
    }
    knownDirectories.add(dir);
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    String path = path(name);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
    long end = length < 0 || offset > Long.MAX_VALUE - length ? Long.MAX_VALUE : offset + length;
    return callOn("get", name, c -> {
      c.unclaimed().collect();
      // one round trip to open and one for all the READs (see PipelinedRead); MINA's own stream
      // also waited for an fstat before and for the CLOSE and its read-ahead after
      SftpClient.CloseableHandle handle = c.sftp().open(path, EnumSet.of(SftpClient.OpenMode.Read));
      return new PipelinedRead((FullAccessSftpClient) c.sftp(), handle, offset, end, c.unclaimed(), c.readSize(),
          CoreModuleProperties.IDLE_TIMEOUT.getRequired(c.session()), "'" + name + "' in " + location,
          c::markBrokenIf);
    });
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    StorageNames.checkPrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    String start = slash < 0 ? "" : prefix.substring(0, slash);
    return call("list", prefix.isEmpty() ? "(all)" : prefix + "*", sftp -> {
      List<StorageObject> out = new ArrayList<>();
      List<String> level = List.of(start);
      while (!level.isEmpty()) {
        level = listLevel(sftp, level, prefix, out);
      }
      return out;
    });
  }

  /**
   * Lists the directories of one level of the tree, up to {@link #LIST_THREADS} at a time: each
   * directory costs several round trips (open, a read per batch of entries and one that says there
   * are no more, close), and a repository's {@code data/} has up to 256 of them. Through a 20 ms
   * round trip, listing 57 directories one at a time took 5.0 s. Adds the objects to {@code out};
   * returns the next level's directories.
   */
  private List<String> listLevel(SftpClient sftp, List<String> dirs, String prefix, List<StorageObject> out)
      throws IOException {
    List<String> next = new ArrayList<>();
    if (dirs.size() == 1) {
      listDir(sftp, dirs.get(0), prefix, out, next);
      return next;
    }
    ExecutorService pool = listPool();
    List<Future<List<StorageObject>>> listed = new ArrayList<>();
    List<List<String>> subdirs = new ArrayList<>();
    try {
      for (String dir : dirs) {
        List<String> found = new ArrayList<>();
        subdirs.add(found);
        listed.add(pool.submit(() -> {
          List<StorageObject> objects = new ArrayList<>();
          listDir(sftp, dir, prefix, objects, found);
          return objects;
        }));
      }
      for (int i = 0; i < listed.size(); i++) {
        out.addAll(listed.get(i).get());
        next.addAll(subdirs.get(i));
      }
    } catch (ExecutionException e) {
      Throwables.throwIfInstanceOf(e.getCause(), IOException.class);
      Throwables.throwIfUnchecked(e.getCause());
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while listing " + location);
    } catch (RejectedExecutionException e) {
      throw new IOException("storage " + location + " is closed", e);
    } finally {
      // not interrupted: an SFTP call interrupted while it waits makes MINA drop the session
      listed.forEach(f -> f.cancel(false));
    }
    return next;
  }

  /** The threads listing directories; they end after 30 s without work, and with the storage. */
  private ExecutorService listPool() throws IOException {
    synchronized (connectionLock) {
      if (closed) {
        throw new IOException("storage " + location + " is closed");
      }
      if (listPool == null) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(LIST_THREADS, LIST_THREADS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
              Thread t = new Thread(r, "cairn-sftp-list");
              t.setDaemon(true);
              return t;
            });
        pool.allowCoreThreadTimeOut(true);
        listPool = pool;
      }
      return listPool;
    }
  }

  /** Adds the objects of one directory under {@code prefix} to {@code out}, its subdirectories to {@code subdirs}. */
  private void listDir(SftpClient sftp, String relativeDir, String prefix, List<StorageObject> out,
      List<String> subdirs) throws IOException {
    String dir = relativeDir.isEmpty() ? (root.isEmpty() ? "." : root) : path(relativeDir);
    Iterable<SftpClient.DirEntry> entries;
    try {
      entries = sftp.readDir(dir);
      for (SftpClient.DirEntry entry : entries) {
        String file = entry.getFilename();
        if (file.equals(".") || file.equals("..") || file.endsWith(TMP_SUFFIX)) {
          continue;
        }
        String name = relativeDir.isEmpty() ? file : relativeDir + "/" + file;
        SftpClient.Attributes attrs = entry.getAttributes();
        if (attrs.isDirectory()) {
          if (name.startsWith(prefix) || prefix.startsWith(name + "/")) {
            subdirs.add(name);
          }
        } else if (attrs.isRegularFile() && name.startsWith(prefix)) {
          out.add(new StorageObject(name, attrs.getSize()));
        }
      }
    } catch (SftpException e) {
      if (!isMissing(e)) {
        throw e;
      }
      // no such directory: nothing under this prefix
    } catch (UncheckedIOException e) {
      // readDir's entries are fetched lazily, so its failures surface unchecked
      if (!(e.getCause() instanceof SftpException se && isMissing(se))) {
        throw e.getCause();
      }
    }
  }

  /**
   * Removes the temporary files ({@code .NAME.UUID.cairn-tmp}) of uploads that never got their final
   * name and were last written before {@code before}, walking every directory one at a time.
   */
  @Override
  public int removeLeftovers(Instant before) throws IOException {
    return call("remove leftovers", "(all)", sftp -> {
      int removed = 0;
      java.util.ArrayDeque<String> dirs = new java.util.ArrayDeque<>(List.of(root.isEmpty() ? "." : root));
      while (!dirs.isEmpty()) {
        String dir = dirs.poll();
        try {
          for (SftpClient.DirEntry entry : sftp.readDir(dir)) {
            String file = entry.getFilename();
            SftpClient.Attributes attrs = entry.getAttributes();
            if (file.equals(".") || file.equals("..")) {
              continue;
            }
            if (attrs.isDirectory()) {
              dirs.add(dir + "/" + file);
            } else if (file.endsWith(TMP_SUFFIX) && attrs.getModifyTime() != null
                && attrs.getModifyTime().toInstant().isBefore(before)) {
              try {
                sftp.remove(dir + "/" + file);
                removed++;
              } catch (SftpException e) {
                if (!isMissing(e)) {
                  throw e;
                }
              }
            }
          }
        } catch (SftpException e) {
          if (!isMissing(e)) {
            throw e;
          }
        }
      }
      return removed;
    });
  }

  @Override
  public void delete(String name) throws IOException {
    String path = path(name);
    call("delete", name, sftp -> {
      try {
        sftp.remove(path);
      } catch (SftpException e) {
        if (!isMissing(e)) {
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    return regularFile("stat", name).map(a -> new StorageObject(name, a.getSize()));
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    return regularFile("modified", name).map(a -> a.getModifyTime() == null ? null : a.getModifyTime().toInstant());
  }

  private Optional<SftpClient.Attributes> regularFile(String op, String name) throws IOException {
    String path = path(name);
    return call(op, name, sftp -> {
      try {
        SftpClient.Attributes attrs = sftp.stat(path);
        return attrs.isRegularFile() ? Optional.of(attrs) : Optional.<SftpClient.Attributes>empty();
      } catch (SftpException e) {
        if (isMissing(e)) {
          return Optional.<SftpClient.Attributes>empty();
        }
        throw e;
      }
    });
  }

  /** The SFTP protocol version negotiated with the server (connecting if needed); for tests and diagnostics. */
  int sftpVersion() throws IOException {
    return connection().sftp().getVersion();
  }

  /** The cipher of the server's messages on the current session (connecting if needed); for tests. */
  String cipher() throws IOException {
    return connection().session().getNegotiatedKexParameter(KexProposalOption.S2CENC);
  }

  /** The SFTP extensions the server offers (connecting if needed); for tests and diagnostics. */
  Set<String> serverExtensions() throws IOException {
    return Set.copyOf(connection().sftp().getServerExtensions().keySet());
  }

  /**
   * How many answers of the current session nobody has waited for and that have not arrived yet,
   * after collecting those that have; for tests.
   */
  int unclaimedReplies() throws IOException {
    UnclaimedReplies unclaimed = connection().unclaimed();
    unclaimed.collect();
    return unclaimed.pending();
  }

  /** The most bytes a READ asks for on the current session; for tests. */
  int readSize() throws IOException {
    return connection().readSize().get();
  }

  /** Drops the current SSH session as a network failure would; for tests of reconnection. */
  void dropSession() {
    synchronized (connectionLock) {
      if (connection != null) {
        connection.session().close(true);
      }
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (connectionLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (listPool != null) {
        listPool.shutdown();
      }
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
    ssh.stop();
  }

  /**
   * Builds an {@link SftpStorage}. {@link #host}, {@link #user} and a way to authenticate
   * ({@link #privateKey} or {@link #password}) are required. Not thread-safe.
   */
  public static final class Builder {
    private String host;
    private int port = 22;
    private String user;
    private String root = "";
    private Secret password;
    private Path privateKey;
    private Secret keyPassphrase;
    private List<KeyPair> keys = List.of();
    private Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    private HostKeyPolicy hostKeyPolicy = HostKeyPolicy.STRICT;
    private Duration connectTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * The server's host name or address (required); an IPv6 address with or without the brackets of a
     * URI ({@code [fd00::5]} or {@code fd00::5}).
     */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be empty");
      }
      // URI.getHost() keeps an IPv6 literal's brackets, which MINA reads as a known_hosts pattern "[host]:port"
      if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      this.host = host;
      return this;
    }

    /** The SSH port. Default 22. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** The user to log in as (required). */
    public Builder user(String user) {
      if (user == null || user.isBlank()) {
        throw new IllegalArgumentException("user must not be empty");
      }
      this.user = user;
      return this;
    }

    /**
     * The repository's directory on the server: absolute ({@code /srv/backup}) or relative to the
     * login directory ({@code backups/infra}); created on first write. Default: the login directory.
     */
    public Builder root(String root) {
      String r = Objects.requireNonNull(root, "root");
      while (r.length() > 1 && r.endsWith("/")) {
        r = r.substring(0, r.length() - 1);
      }
      if (r.equals(".")) {
        r = "";
      }
      for (String segment : r.split("/")) {
        if (segment.equals("..")) {
          throw new IllegalArgumentException("root must not contain '..': " + root);
        }
      }
      this.root = r;
      return this;
    }

    /** Logs in with a password. */
    public Builder password(Secret password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Logs in with the private key in this file (OpenSSH or PEM format; RSA, ECDSA, Ed25519). */
    public Builder privateKey(Path privateKey) {
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /** The passphrase of an encrypted {@link #privateKey(Path) private key}. */
    public Builder privateKeyPassphrase(Secret passphrase) {
      this.keyPassphrase = Objects.requireNonNull(passphrase, "passphrase");
      return this;
    }

    /** The known-hosts file the server's key is checked against. Default {@code ~/.ssh/known_hosts}. */
    public Builder knownHosts(Path knownHosts) {
      this.knownHosts = Objects.requireNonNull(knownHosts, "knownHosts");
      return this;
    }

    /** What to do with a server not in the known-hosts file. Default {@link HostKeyPolicy#STRICT}. */
    public Builder hostKeyPolicy(HostKeyPolicy policy) {
      this.hostKeyPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Timeout for connecting and for authenticating. Default 30 s. */
    public Builder connectTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Creates the storage, reading the private key now; it connects on the first operation.
     *
     * @throws IllegalStateException if the host, the user or a way to authenticate is missing
     * @throws IllegalArgumentException if the private key cannot be read, naming the file
     */
    public SftpStorage build() {
      if (host == null) {
        throw new IllegalStateException("host is required: call host(...)");
      }
      if (user == null) {
        throw new IllegalStateException("user is required: call user(...)");
      }
      if (password == null && privateKey == null) {
        throw new IllegalStateException("no way to log in to " + host + ": give privateKey(...) or password(...)");
      }
      if (privateKey != null) {
        keys = loadKeys(privateKey, keyPassphrase);
      }
      return new SftpStorage(this);
    }

    private static List<KeyPair> loadKeys(Path file, Secret passphrase) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("private key " + file + " does not exist or is not readable");
      }
      FileKeyPairProvider provider = new FileKeyPairProvider(file);
      // MINA skips a key it cannot decrypt (no passphrase, a wrong one) and finds "no key": note why
      AtomicBoolean encrypted = new AtomicBoolean();
      AtomicReference<Exception> decryption = new AtomicReference<>();
      provider.setPasswordFinder(new FilePasswordProvider() {
        @Override
        public String getPassword(SessionContext session, NamedResource resource, int retry) {
          encrypted.set(true);
          return passphrase == null ? null : passphrase.reveal();
        }

        @Override
        public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resource,
            int retry, String password, Exception err) {
          if (err != null) {
            decryption.set(err);
          }
          return ResourceDecodeResult.TERMINATE;
        }
      });
      List<KeyPair> out = new ArrayList<>();
      try {
        for (KeyPair kp : provider.loadKeys(null)) {
          out.add(kp);
        }
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() instanceof IOException || e.getCause() instanceof GeneralSecurityException
            ? e.getCause() : e;
        throw new IllegalArgumentException("cannot read private key " + file + ": " + cause.getMessage()
            + (passphrase == null ? " (if it is encrypted, give its passphrase)" : ""), e);
      }
      if (out.isEmpty() && encrypted.get()) {
        throw new IllegalArgumentException(passphrase == null
            ? "private key " + file + " is encrypted: give its passphrase (privateKeyPassphrase(...), or "
                + "CAIRN_SFTP_KEY_PASSPHRASE for an sftp:// URI)"
            : "cannot decrypt private key " + file + ": wrong passphrase"
                + (decryption.get() == null ? "" : " (" + decryption.get().getMessage() + ")"));
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no private key found in " + file);
      }
      return List.copyOf(out);
    }
  }
}
