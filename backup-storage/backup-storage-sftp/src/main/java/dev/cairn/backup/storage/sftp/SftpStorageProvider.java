package dev.cairn.backup.storage.sftp;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Opens {@code sftp://user@host:port/path} URIs as {@link SftpStorage}s.
 *
 * <p>The path is absolute ({@code sftp://backup@nas/srv/backup}); start it with {@code /~/} for a
 * directory relative to the login directory ({@code sftp://backup@nas/~/repo}). Query parameters, all
 * optional: {@code key} (private key file), {@code known-hosts} (default {@code ~/.ssh/known_hosts}),
 * {@code host-key-check} ({@code strict}, the default, or {@code accept-new}). Secrets never appear in
 * the URI: the password comes from {@code CAIRN_SFTP_PASSWORD}, a key's passphrase from
 * {@code CAIRN_SFTP_KEY_PASSPHRASE}. Without {@code key} or a password, the first of
 * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exists is used. Stateless and
 * thread-safe.
 */
public final class SftpStorageProvider implements StorageProvider {
  /** Environment variable holding the SFTP password. */
  public static final String PASSWORD_VARIABLE = "CAIRN_SFTP_PASSWORD";
  /** Environment variable holding the private key's passphrase. */
  public static final String KEY_PASSPHRASE_VARIABLE = "CAIRN_SFTP_KEY_PASSPHRASE";
  private static final Set<String> PARAMETERS = Set.of("key", "known-hosts", "host-key-check");

  private final UnaryOperator<String> env;
  private final Path home;

  /** Creates the provider, reading the process environment; {@link java.util.ServiceLoader} calls this. */
  public SftpStorageProvider() {
    this(System::getenv, Path.of(System.getProperty("user.home")));
  }

  SftpStorageProvider(UnaryOperator<String> env, Path home) {
    this.env = env;
    this.home = home;
  }

  @Override
  public Set<String> schemes() {
    return Set.of("sftp");
  }

  @Override
  public Storage open(URI uri) {
    return builderFor(uri).build();
  }

  SftpStorage.Builder builderFor(URI uri) {
    String authority = uri.getRawAuthority();
    if (uri.getHost() == null && authority != null && authority.indexOf('@') != authority.lastIndexOf('@')) {
      int at = authority.lastIndexOf('@');
      throw new IllegalArgumentException("an '@' in the user name is written %40 in a URI: sftp://"
          + authority.substring(0, at).replace("@", "%40") + authority.substring(at) + "/...");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in '" + uri.getScheme() + "://" + uri.getRawAuthority()
          + "...': write sftp://USER@HOST:PORT/PATH");
    }
    String userInfo = uri.getUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new IllegalArgumentException("passwords do not belong in the URI: set " + PASSWORD_VARIABLE + " instead");
    }
    String user = userInfo == null || userInfo.isEmpty() ? System.getProperty("user.name") : userInfo;
    SftpStorage.Builder b = SftpStorage.builder().host(uri.getHost()).user(user);
    if (uri.getPort() > 0) {
      b.port(uri.getPort());
    }
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/~/" : uri.getPath();
    b.root(path.equals("/~") || path.startsWith("/~/") ? path.substring(Math.min(path.length(), 3)) : path);
    Map<String, String> q = StorageProvider.queryParameters(uri, PARAMETERS);
    if (q.containsKey("known-hosts")) {
      b.knownHosts(expand(q.get("known-hosts")));
    } else {
      b.knownHosts(home.resolve(".ssh/known_hosts"));
    }
    if (q.containsKey("host-key-check")) {
      String v = q.get("host-key-check").toLowerCase(Locale.ROOT);
      b.hostKeyPolicy(switch (v) {
        case "strict", "yes" -> SftpStorage.HostKeyPolicy.STRICT;
        case "accept-new" -> SftpStorage.HostKeyPolicy.ACCEPT_NEW;
        default -> throw new IllegalArgumentException("host-key-check must be strict or accept-new: " + v);
      });
    }
    String password = env.apply(PASSWORD_VARIABLE);
    if (password != null && !password.isEmpty()) {
      b.password(Secret.of(password));
    }
    Path key = q.containsKey("key") ? expand(q.get("key")) : null;
    if (key == null && (password == null || password.isEmpty())) {
      key = List.of("id_ed25519", "id_ecdsa", "id_rsa").stream().map(n -> home.resolve(".ssh").resolve(n))
          .filter(Files::isReadable).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no way to log in to " + uri.getHost() + ": add ?key=PATH, set "
              + PASSWORD_VARIABLE + ", or create ~/.ssh/id_ed25519"));
    }
    if (key != null) {
      b.privateKey(key);
      String passphrase = env.apply(KEY_PASSPHRASE_VARIABLE);
      if (passphrase != null && !passphrase.isEmpty()) {
        b.privateKeyPassphrase(Secret.of(passphrase));
      }
    }
    return b;
  }

  private Path expand(String p) {
    return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
  }


}
