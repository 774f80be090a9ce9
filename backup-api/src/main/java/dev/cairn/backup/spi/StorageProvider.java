package dev.cairn.backup.spi;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Opens a {@link Storage} from a URI such as {@code s3://bucket/prefix?region=eu-west-1} or
 * {@code sftp://user@host:22/path}. Found through {@link java.util.ServiceLoader} (register it in
 * {@code META-INF/services/dev.cairn.backup.spi.StorageProvider}); used by the CLI and file plans.
 * Applications embedding Cairn usually construct storages directly instead.
 */
public interface StorageProvider {

  /** The URI schemes this provider opens, e.g. {@code s3}. Two providers must not share one. */
  Set<String> schemes();

  /**
   * Opens the storage that {@code uri} names. Secrets come from the environment or files named in
   * the URI's query, never from the URI itself.
   *
   * @throws IllegalArgumentException if the URI is malformed, naming the part at fault
   */
  Storage open(URI uri) throws IOException;
}
