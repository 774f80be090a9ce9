package dev.cairn.backup.spi;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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

  /**
   * Parses the query of {@code uri} ({@code ?a=1&b=two}) into parameters for providers: names
   * lower-cased, values percent-decoded (a {@code +} stays a {@code +}), a name without {@code =} maps
   * to the empty string.
   *
   * @throws IllegalArgumentException naming a parameter not in {@code known} (and listing the known
   *     ones) or given twice
   */
  static Map<String, String> queryParameters(URI uri, Set<String> known) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown parameter '" + k + "' in " + uri.getScheme() + " URI: known are "
            + new TreeSet<>(known));
      }
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("parameter '" + k + "' given twice");
      }
    }
    return out;
  }

  /**
   * Percent-decodes a query part. A URI's query is not an HTML form: '+' stays '+' ({@code
   * ?key=/etc/c++/id+nas}), where {@link URLDecoder} alone would read it as a space.
   */
  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
