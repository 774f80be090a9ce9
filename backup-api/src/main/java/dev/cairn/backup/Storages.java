package dev.cairn.backup;

import dev.cairn.backup.internal.storage.LocalStorage;
import dev.cairn.backup.internal.storage.RateLimitedStorage;
import dev.cairn.backup.internal.storage.RetryingStorage;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Factories for {@link Storage}s: the built-in local directory, and URI lookup through
 * {@link StorageProvider}s found by {@link ServiceLoader} (for the CLI and file plans).
 */
public final class Storages {
  private static final Map<String, String> KNOWN_MODULES =
      Map.of("s3", "dev.cairn:backup-storage-s3", "sftp", "dev.cairn:backup-storage-sftp");

  /** Attempts per operation of a storage opened by {@link #fromUri} from a provider. */
  public static final int URI_ATTEMPTS = 8;

  private Storages() {}

  /** A storage in local directory {@code root}, created on first write. Thread-safe. */
  public static Storage local(Path root) {
    return new LocalStorage(root);
  }

  /**
   * Wraps {@code storage} so that transient failures (resets, timeouts, 5xx, throttling) are retried
   * up to {@code maxAttempts} times in all, with exponential backoff from 250 ms up to 30 s and jitter.
   * Permanent failures (a missing object, access denied, a full disk) are never retried: a missing
   * object still throws {@link java.nio.file.NoSuchFileException}, the others a {@link StorageException}
   * with {@code isPermanent() == true} naming the object. Streams from {@code get} resume where they
   * stopped after a transient read failure. Closing the result closes {@code storage}. Thread-safe if
   * {@code storage} is. A storage that already retries (such as one from {@link #fromUri}) is
   * unwrapped first, so that attempts are not multiplied.
   *
   * @throws IllegalArgumentException if {@code maxAttempts < 1}
   */
  public static Storage retrying(Storage storage, int maxAttempts) {
    return retrying(storage, maxAttempts, Duration.ofMillis(250), Duration.ofSeconds(30));
  }

  /**
   * As {@link #retrying(Storage, int)} with the backoff given: the wait before retry {@code n} lies
   * between half and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))}.
   *
   * @throws IllegalArgumentException if {@code maxAttempts < 1} or a backoff is negative
   */
  public static Storage retrying(Storage storage, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    Storage inner = storage instanceof RetryingStorage r ? r.delegate() : storage;
    return new RetryingStorage(inner, maxAttempts, initialBackoff, maxBackoff);
  }

  /**
   * Wraps {@code storage} so that uploads and downloads stay under the given rates in bytes per
   * second, shared by all threads using the result; zero or less means unlimited. Downloads are paced
   * as they are read; uploads are paced per object (an object waits until the earlier ones have had
   * their time, then goes at the link's speed). Closing the result closes {@code storage}.
   */
  public static Storage rateLimited(Storage storage, long uploadBytesPerSecond, long downloadBytesPerSecond) {
    return new RateLimitedStorage(storage, uploadBytesPerSecond, downloadBytesPerSecond);
  }

  /**
   * A view of {@code storage} for a dry run ({@code cairn backup --dry-run}): reads come from it, writes
   * never reach it. Metadata written (locks, index files, the snapshot) is kept in memory so the run
   * sees it; packs are counted and dropped. A backup through it reads, chunks, compresses and
   * encrypts everything and reports what it would add, and the repository is left exactly as it was.
   * Closing the result closes {@code storage}.
   */
  public static Storage dryRun(Storage storage) {
    return new dev.cairn.backup.internal.storage.DryRunStorage(Objects.requireNonNull(storage, "storage"));
  }

  /**
   * Opens the storage a URI names: a plain path or {@code file:} URI for a local directory, or any
   * scheme that a {@link StorageProvider} on the class path offers ({@code s3://…}, {@code sftp://…}).
   *
   * <p>A storage from a provider goes over a network, so it comes {@linkplain #retrying(Storage, int)
   * retrying} transient failures ({@value #URI_ATTEMPTS} attempts, waits from 250 ms doubling: about
   * half a minute in all) once it has worked: a connection dropped in the middle of a backup or
   * restore costs a retry, and a download resumes where it stopped, instead of failing the whole
   * operation. Until an operation has succeeded, failures are reported at once, so a wrong host, a
   * closed port or a server that is down fails as fast as without retries. Permanent failures (a
   * refused login or host key, a missing bucket, access denied) always fail at once. A local
   * directory is not wrapped.
   *
   * @throws ConfigurationException if the URI is malformed, no provider offers its scheme (naming the
   *     module to add), or two providers claim it
   */
  public static Storage fromUri(String uri) {
    return fromUri(uri, Storages.class.getClassLoader());
  }

  /** As {@link #fromUri(String)}, looking providers up in {@code loader}. */
  public static Storage fromUri(String uri, ClassLoader loader) {
    if (uri == null || uri.isBlank()) {
      throw new ConfigurationException("repository location is empty: give a path or a URI such as s3://bucket/prefix");
    }
    int colon = uri.indexOf(':');
    boolean hasScheme = colon > 1 && uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
        && uri.startsWith("//", colon + 1);
    if (!hasScheme) {
      return local(Path.of(uri));
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new ConfigurationException("malformed repository URI '" + redact(uri) + "': " + e.getReason() + " at index " + e.getIndex(), e);
    }
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return local(Path.of(parsed));
    }
    Map<String, StorageProvider> byScheme = new HashMap<>();
    for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, loader)) {
      for (String s : provider.schemes()) {
        StorageProvider previous = byScheme.putIfAbsent(s.toLowerCase(Locale.ROOT), provider);
        if (previous != null) {
          throw new ConfigurationException("two storage providers claim scheme '" + s + "': "
              + previous.getClass().getName() + " and " + provider.getClass().getName()
              + "; remove one from the class path");
        }
      }
    }
    String shown = redact(uri);
    StorageProvider provider = byScheme.get(scheme);
    if (provider == null) {
      String module = KNOWN_MODULES.get(scheme);
      throw new ConfigurationException("no storage provider for scheme '" + scheme + "' in '" + shown + "'"
          + (module == null ? "" : ": add " + module + " to the class path"));
    }
    try {
      return RetryingStorage.onceWorking(provider.open(parsed), URI_ATTEMPTS, Duration.ofMillis(250),
          Duration.ofSeconds(30));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid repository URI '" + shown + "': " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StorageException("cannot open storage '" + shown + "': " + e.getMessage(), false, e);
    }
  }

  /** Hides a password written into a URI's user info ({@code scheme://user:password@host}). */
  private static String redact(String uri) {
    return uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", "$1:***@");
  }
}
