package dev.cairn.backup.storage.s3;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageProvider;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@code s3://bucket/prefix?endpoint=...&region=...&path-style=true} URIs as {@link S3Storage}s.
 *
 * <p>Query parameters, all optional: {@code endpoint} (an S3-compatible service's URL),
 * {@code region}, {@code path-style} ({@code true}/{@code false}), {@code storage-class},
 * {@code profile} (a profile of {@code ~/.aws/credentials}), {@code object-lock}
 * ({@code governance} or {@code compliance}) with {@code retention} ({@code 30d}, {@code 12h} or an
 * ISO-8601 duration such as {@code P30D}). Credentials never appear in the URI: they come from the
 * SDK's default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code
 * AWS_SESSION_TOKEN}, the {@code aws.accessKeyId} system properties, {@code ~/.aws/credentials},
 * container and instance roles) or the named profile. Stateless and thread-safe.
 */
public final class S3StorageProvider implements StorageProvider {
  private static final Set<String> PARAMETERS =
      Set.of("endpoint", "region", "path-style", "storage-class", "profile", "object-lock", "retention");

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public S3StorageProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("s3");
  }

  @Override
  public Storage open(URI uri) {
    return builderFor(uri).build();
  }

  /** Parses {@code uri} into a builder; package-private for tests. */
  static S3Storage.Builder builderFor(URI uri) {
    String bucket = uri.getAuthority();
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("no bucket in '" + uri + "': write s3://BUCKET/PREFIX");
    }
    if (bucket.contains("@")) {
      throw new IllegalArgumentException("credentials do not belong in the URI '" + uri.getScheme() + "://"
          + bucket.substring(bucket.indexOf('@') + 1) + "...': use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ?profile=");
    }
    S3Storage.Builder b = S3Storage.builder().bucket(bucket);
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      b.prefix(path);
    }
    Map<String, String> q = StorageProvider.queryParameters(uri, PARAMETERS);
    if (q.containsKey("endpoint")) {
      b.endpoint(URI.create(q.get("endpoint")));
    }
    if (q.containsKey("region")) {
      b.region(q.get("region"));
    }
    if (q.containsKey("path-style")) {
      b.pathStyle(bool(q.get("path-style"), "path-style"));
    }
    if (q.containsKey("storage-class")) {
      b.storageClass(q.get("storage-class"));
    }
    if (q.containsKey("profile")) {
      b.profile(q.get("profile"));
    }
    if (q.containsKey("object-lock") != q.containsKey("retention")) {
      throw new IllegalArgumentException("object-lock and retention go together, e.g. ?object-lock=governance&retention=30d");
    }
    if (q.containsKey("object-lock")) {
      S3Storage.RetentionMode mode;
      try {
        mode = S3Storage.RetentionMode.valueOf(q.get("object-lock").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("object-lock must be governance or compliance: " + q.get("object-lock"), e);
      }
      b.objectLock(mode, duration(q.get("retention")));
    }
    return b;
  }



  private static boolean bool(String v, String name) {
    if (v.equalsIgnoreCase("true") || v.isEmpty()) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false: " + v);
  }

  /** Parses {@code 30d}, {@code 12h}, {@code 90m} or an ISO-8601 duration. */
  static Duration duration(String v) {
    try {
      if (v.matches("\\d+[dhm]")) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
          case 'd' -> Duration.ofDays(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
      }
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("retention must look like 30d, 12h or P30D: " + v, e);
    }
  }
}
