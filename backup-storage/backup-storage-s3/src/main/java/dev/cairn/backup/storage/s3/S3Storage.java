package dev.cairn.backup.storage.s3;

import dev.cairn.backup.Secret;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageNames;
import dev.cairn.backup.spi.StorageObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * A storage in a bucket of any S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...), under an
 * optional key prefix.
 *
 * <p>Objects up to {@linkplain Builder#multipartThreshold(long) the multipart threshold} (default
 * 16 MiB) go up in one PUT, larger ones as a multipart upload that is completed only when every part
 * is in, and aborted on failure: S3 shows an object only when it is whole, so a reader never sees a
 * part. Every PUT and part carries a {@code Content-MD5}, so S3 rejects bytes damaged on the way.
 * Reads use ranged GETs. Transient failures (5xx, throttling, resets) are retried by the SDK
 * ({@linkplain Builder#sdkMaxAttempts(int) 3 attempts} by default); wrap the storage in
 * {@link dev.cairn.backup.Storages#retrying} for longer outages. Failures are thrown as
 * {@link NoSuchFileException} (missing object), {@link AccessDeniedException} (403),
 * {@link StorageException} with {@code isPermanent() == true} (missing bucket, bad request, missing
 * credentials), or a plain {@link IOException} (transient).
 *
 * <p>With {@linkplain Builder#objectLock(RetentionMode, Duration) Object Lock retention}, every object
 * written carries a retention mode and a retain-until date ({@code now + retention}): the bucket must
 * have been created with Object Lock enabled; S3 then keeps every version until that date, whatever a
 * client with the same credentials deletes (a delete only adds a delete marker).
 *
 * <pre>{@code
 * Storage offsite = S3Storage.builder()
 *     .bucket("backups").prefix("infra")
 *     .region("eu-central-1")
 *     .storageClass("STANDARD_IA")
 *     .objectLock(S3Storage.RetentionMode.GOVERNANCE, Duration.ofDays(90))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe; share one instance. {@link #close()} releases the HTTP connections.
 */
public final class S3Storage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(S3Storage.class);
  /** S3's smallest allowed part (all but the last). */
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  private static final int MAX_PARTS = 10_000;
  private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
      "RequestTimeout", "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed");

  /** S3 Object Lock retention modes. */
  public enum RetentionMode {
    /** Users with {@code s3:BypassGovernanceRetention} can still shorten or remove the retention. */
    GOVERNANCE,
    /** Nobody, not even the root account, can delete a protected version before its date. */
    COMPLIANCE
  }

  private final S3Client client;
  private final AwsCredentialsProvider credentials;
  private final String bucket;
  private final String root;
  private final String location;
  private final long multipartThreshold;
  private final long partSize;
  private final StorageClass storageClass;
  private final RetentionMode retentionMode;
  private final Duration retention;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private S3Storage(Builder b) {
    this.bucket = b.bucket;
    this.root = b.prefix.isEmpty() ? "" : b.prefix + "/";
    this.multipartThreshold = b.multipartThreshold;
    this.partSize = b.partSize;
    this.storageClass = b.storageClass;
    this.retentionMode = b.retentionMode;
    this.retention = b.retention;
    this.clock = b.clock;
    this.location = "s3://" + bucket + (b.prefix.isEmpty() ? "" : "/" + b.prefix)
        + (b.endpoint == null ? "" : "?endpoint=" + b.endpoint);
    this.credentials = b.credentialsProvider();
    Region region = b.region();
    var http = Apache5HttpClient.builder()
        .maxConnections(b.maxConnections)
        .connectionTimeout(b.connectTimeout)
        .socketTimeout(b.socketTimeout);
    var builder = S3Client.builder()
        .httpClientBuilder(http)
        .region(region)
        .credentialsProvider(credentials)
        .forcePathStyle(b.pathStyle)
        // Checksums only where S3 demands them: many S3-compatible stores reject the SDK's default
        // trailing checksums; integrity comes from Content-MD5 on uploads and the repository's own MACs.
        .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(b.sdkMaxAttempts).build());
          b.interceptors.forEach(o::addExecutionInterceptor);
        });
    if (b.endpoint != null) {
      builder.endpointOverride(b.endpoint);
    }
    this.client = builder.build();
  }

  /** Returns a builder; {@link Builder#bucket(String)} is required. */
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

  private String key(String name) {
    return root + StorageNames.check(name);
  }

  @Override
  public void put(String name, ByteBuffer content) throws IOException {
    String key = key(name);
    ByteBuffer src = content.duplicate();
    long size = src.remaining();
    try {
      if (size <= multipartThreshold) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(key)
            .contentLength(size).contentMD5(md5(src));
        if (storageClass != null) {
          req.storageClass(storageClass);
        }
        if (retentionMode != null) {
          req.objectLockMode(ObjectLockMode.fromValue(retentionMode.name())).objectLockRetainUntilDate(retainUntil());
        }
        client.putObject(req.build(), body(src));
      } else {
        putMultipart(name, key, src);
      }
      LOG.debug("put {} ({} bytes) into {}", name, size, location);
    } catch (SdkException e) {
      throw failure("put", name, e);
    }
  }

  private void putMultipart(String name, String key, ByteBuffer src) throws IOException {
    long size = src.remaining();
    // S3 allows 10,000 parts: grow the part size for huge objects rather than fail.
    long part = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
    CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
    if (storageClass != null) {
      create.storageClass(storageClass);
    }
    if (retentionMode != null) {
      create.objectLockMode(ObjectLockMode.fromValue(retentionMode.name())).objectLockRetainUntilDate(retainUntil());
    }
    String uploadId = client.createMultipartUpload(create.build()).uploadId();
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += part, number++) {
        ByteBuffer slice = src.duplicate();
        slice.position((int) (src.position() + offset));
        slice.limit((int) Math.min(src.position() + offset + part, src.limit()));
        int partNumber = number;
        String etag = client.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
            .contentLength((long) slice.remaining()).contentMD5(md5(slice)), body(slice)).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      client.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
      completed = true;
    } finally {
      if (!completed) {
        try {
          client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
          // The upload stays invisible either way; a bucket lifecycle rule removes forgotten parts.
          LOG.warn("could not abort multipart upload of {} in {}: {}", name, location, e.getMessage());
        }
      }
    }
  }

  private Instant retainUntil() {
    return clock.instant().plus(retention);
  }

  private static RequestBody body(ByteBuffer src) {
    return RequestBody.fromContentProvider(() -> new ByteBufferInputStream(src), src.remaining(),
        "application/octet-stream");
  }

  private static String md5(ByteBuffer src) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(src.duplicate());
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without MD5", e);
    }
  }

  @Override
  public InputStream get(String name, long offset, long length) throws IOException {
    String key = key(name);
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
    if (length == 0) {
      if (stat(name).isEmpty()) {
        throw new NoSuchFileException(name, null, "no object '" + name + "' in " + location);
      }
      return InputStream.nullInputStream();
    }
    GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(bucket).key(key);
    if (offset > 0 || length > 0) {
      req.range("bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1)));
    }
    try {
      ResponseInputStream<GetObjectResponse> response = client.getObject(req.build());
      if (offset > 0 && response.response().sdkHttpResponse().statusCode() != 206) {
        Long size = response.response().contentLength();
        if (size != null && size <= offset) {
          // the whole object, where an unsatisfiable range was asked for: nothing is at that offset
          response.abort();
          response.close();
          return InputStream.nullInputStream();
        }
        long start = rangeStart(response.response().contentRange());
        if (start != offset) {
          // bytes from elsewhere in the object would read as damaged data: say what is wrong instead
          response.abort();
          response.close();
          throw new StorageException("get '" + name + "' in " + location + " asked for bytes from " + offset
              + ", and the server answered with " + (start < 0 ? "the whole object (no Content-Range)"
              : "bytes from " + start) + ": the server, or a proxy in front of it, ignores HTTP Range headers, "
              + "which Cairn needs to read blobs out of packs", true);
        }
      }
      return new AbortingInputStream(response);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return InputStream.nullInputStream(); // the range starts at or after the end of the object
      }
      throw failure("get", name, e);
    } catch (SdkException e) {
      throw failure("get", name, e);
    }
  }

  /** The first byte of a {@code Content-Range: bytes first-last/size} answer; -1 if there is none. */
  static long rangeStart(String contentRange) {
    if (contentRange == null || !contentRange.startsWith("bytes ")) {
      return -1;
    }
    int dash = contentRange.indexOf('-', 6);
    try {
      return dash < 0 ? -1 : Long.parseLong(contentRange.substring(6, dash).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public List<StorageObject> list(String prefix) throws IOException {
    StorageNames.checkPrefix(prefix);
    List<StorageObject> out = new ArrayList<>();
    try {
      ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(root + prefix).build();
      for (S3Object o : client.listObjectsV2Paginator(req).contents()) {
        out.add(new StorageObject(o.key().substring(root.length()), o.size()));
      }
    } catch (SdkException e) {
      throw failure("list", prefix.isEmpty() ? "(all)" : prefix + "*", e);
    }
    return out;
  }

  @Override
  public void delete(String name) throws IOException {
    String key = key(name);
    try {
      client.deleteObject(r -> r.bucket(bucket).key(key));
    } catch (S3Exception e) {
      if (e.statusCode() != 404 || isNoSuchBucket(e)) {
        throw failure("delete", name, e);
      }
    } catch (SdkException e) {
      throw failure("delete", name, e);
    }
  }

  @Override
  public Optional<StorageObject> stat(String name) throws IOException {
    return head("stat", name).map(h -> new StorageObject(name, h.contentLength()));
  }

  @Override
  public Optional<Instant> modified(String name) throws IOException {
    return head("modified", name).map(HeadObjectResponse::lastModified);
  }

  private Optional<HeadObjectResponse> head(String op, String name) throws IOException {
    String key = key(name);
    try {
      return Optional.of(client.headObject(r -> r.bucket(bucket).key(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
        return Optional.empty();
      }
      throw failure(op, name, e);
    } catch (SdkException e) {
      throw failure(op, name, e);
    }
  }

  private static boolean isNoSuchBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  /**
   * Translates an SDK failure: missing object, access denied and permanent errors get their own
   * types, everything that a retry may cure becomes a plain {@link IOException}.
   */
  /**
   * Aborts the multipart uploads of packs (under this storage's {@code data/}) started before {@code before}: a process
   * killed during the upload of a large pack leaves its parts stored, and billed, but invisible. A bucket
   * lifecycle rule (AbortIncompleteMultipartUpload) does the same on the server's side.
   */
  @Override
  public int removeLeftovers(Instant before) throws IOException {
    int aborted = 0;
    try {
      // only under the repository's own folders: a repository at the root of a bucket it shares must not
      // abort another application's long upload. Packs and index files (prune and 'repair index' write one
      // index file for the whole repository, over the multipart threshold past ~350k blobs) go up in parts
      for (String folder : List.of("data/", "index/", "snapshots/")) {
        for (software.amazon.awssdk.services.s3.model.MultipartUpload u : client.listMultipartUploadsPaginator(
            r -> r.bucket(bucket).prefix(root + folder)).uploads()) {
          if (u.initiated() != null && u.initiated().isBefore(before)) {
            client.abortMultipartUpload(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
            aborted++;
          }
        }
      }
    } catch (S3Exception e) {
      if (e.statusCode() == 501) {
        LOG.debug("{} cannot list multipart uploads: {}", location, e.getMessage());
        return aborted;   // NotImplemented: a server without that listing keeps them to itself
      }
      throw failure("abort interrupted uploads", "(all)", e);
    } catch (SdkException e) {
      throw failure("abort interrupted uploads", "(all)", e);
    }
    return aborted;
  }

  private IOException failure(String op, String name, SdkException e) {
    String what = op + " '" + name + "' in " + location;
    if (e instanceof AbortedException) {
      InterruptedIOException iio = new InterruptedIOException(what + " was interrupted");
      iio.initCause(e);
      return iio;
    }
    if (e instanceof S3Exception s3) {
      int status = s3.statusCode();
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      String detail = "HTTP " + status + (code == null ? "" : " " + code);
      if (isNoSuchBucket(s3)) {
        throw new StorageException("cannot " + what + ": bucket '" + bucket
            + "' does not exist; create it or correct the repository URI", true, e);
      }
      if (status == 404) {
        NoSuchFileException nsf = new NoSuchFileException(name, null, "no object '" + name + "' in " + location);
        nsf.initCause(e);
        return nsf;
      }
      if (status == 401 || status == 403) {
        AccessDeniedException ade = new AccessDeniedException(name, null, "cannot " + what + ": access denied ("
            + detail + "); check the credentials and the bucket policy");
        ade.initCause(e);
        return ade;
      }
      if (status == 408 || status == 429 || status >= 500 || TRANSIENT_CODES.contains(code)) {
        return new IOException("cannot " + what + ": " + detail + " (transient, may be retried)", e);
      }
      throw new StorageException("cannot " + what + ": " + detail + ": " + s3.getMessage(), true, e);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
        || e instanceof SdkClientException && (hasIoCause(e) || e.retryable())) {
      return new IOException("cannot " + what + ": " + e.getMessage(), e);
    }
    // No I/O involved: missing credentials or region, a bad endpoint and the like.
    throw new StorageException("cannot " + what + ": " + e.getMessage(), true, e);
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      client.close();
      if (credentials instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("closing credentials provider failed", e);
        }
      }
    }
  }

  /**
   * A response body that, closed before its end, aborts the request (the connection is dropped rather
   * than drained of bytes nobody wants), and closed at its end returns the connection to the pool. The
   * end is the response's {@code Content-Length}: a caller that reads exactly the range it asked for
   * never reads the -1 after it, and aborting there would open a new connection (and, over HTTPS, a
   * new TLS session) for every read.
   */
  private static final class AbortingInputStream extends FilterInputStream {
    private final ResponseInputStream<GetObjectResponse> response;
    private long remaining; // -1: unknown, until the end is read
    private boolean atEnd;

    AbortingInputStream(ResponseInputStream<GetObjectResponse> response) {
      super(response);
      this.response = response;
      Long length = response.response().contentLength();
      this.remaining = length == null ? -1 : length;
      this.atEnd = remaining == 0;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      count(n);
      return n;
    }

    private void count(int n) {
      if (n < 0) {
        atEnd = true;
      } else if (remaining > 0) {
        remaining -= n;
        atEnd |= remaining <= 0;
      }
    }

    @Override
    public void close() throws IOException {
      if (!atEnd) {
        response.abort();
      }
      super.close();
    }
  }

  /**
   * Builds an {@link S3Storage}; {@link #bucket(String)} is required, everything else has a default.
   * Not thread-safe.
   */
  public static final class Builder {
    private String bucket;
    private String prefix = "";
    private String region;
    private URI endpoint;
    private boolean pathStyle;
    private String accessKeyId;
    private Secret secretAccessKey;
    private Secret sessionToken;
    private String profile;
    private long multipartThreshold = 16L * 1024 * 1024;
    private long partSize = 8L * 1024 * 1024;
    private StorageClass storageClass;
    private RetentionMode retentionMode;
    private Duration retention;
    private int maxConnections = 16;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(60);
    private int sdkMaxAttempts = 3;
    private Clock clock = Clock.systemUTC();
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();

    private Builder() {}

    /** The bucket (required); it must exist. */
    public Builder bucket(String bucket) {
      if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
        throw new IllegalArgumentException("bucket must be a non-empty name without '/': " + bucket);
      }
      this.bucket = bucket;
      return this;
    }

    /**
     * A key prefix under which the repository lives, e.g. {@code hosts/db1} (no leading or trailing
     * {@code /}); default none, the repository fills the bucket.
     */
    public Builder prefix(String prefix) {
      String p = Objects.requireNonNull(prefix, "prefix");
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      if (!p.isEmpty()) {
        try {
          StorageNames.check(p);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("invalid prefix '" + prefix
              + "': use /-separated segments of letters, digits, '.', '_' and '-'", e);
        }
      }
      this.prefix = p;
      return this;
    }

    /**
     * The region, e.g. {@code eu-central-1}. Default: the SDK's region chain ({@code AWS_REGION},
     * profile), or {@code us-east-1} when an endpoint is set (most S3-compatible stores ignore it).
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** The service endpoint of an S3-compatible store, e.g. {@code https://minio.internal:9000}. Default: AWS. */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (endpoint.getScheme() == null || endpoint.getHost() == null) {
        throw new IllegalArgumentException("endpoint must be an absolute http(s) URI: " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    /** Uses path-style URLs ({@code endpoint/bucket/key}), as MinIO and Ceph usually need. Default false. */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** Explicit credentials instead of the SDK's default chain (environment, profile, instance role). */
    public Builder credentials(String accessKeyId, Secret secretAccessKey) {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("accessKeyId must not be empty");
      }
      this.accessKeyId = accessKeyId;
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      return this;
    }

    /** A session token for temporary {@link #credentials(String, Secret) credentials}. */
    public Builder sessionToken(Secret sessionToken) {
      this.sessionToken = Objects.requireNonNull(sessionToken, "sessionToken");
      return this;
    }

    /** Takes credentials from this profile of {@code ~/.aws/credentials} instead of the default chain. */
    public Builder profile(String profile) {
      if (profile == null || profile.isBlank()) {
        throw new IllegalArgumentException("profile must not be empty");
      }
      this.profile = profile;
      return this;
    }

    /** Objects larger than this go up as multipart uploads. Default 16 MiB. */
    public Builder multipartThreshold(long bytes) {
      if (bytes < MIN_PART_SIZE) {
        throw new IllegalArgumentException("multipartThreshold must be at least 5 MiB: " + bytes);
      }
      this.multipartThreshold = bytes;
      return this;
    }

    /** Size of each part of a multipart upload, at least 5 MiB (S3's minimum). Default 8 MiB. */
    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE || bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("partSize must be between 5 MiB and 2 GiB: " + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * The storage class of written objects, e.g. {@code STANDARD_IA} or {@code GLACIER_IR}. Default: the
     * bucket's default. Avoid classes whose objects must be restored before reading ({@code GLACIER},
     * {@code DEEP_ARCHIVE}): Cairn reads indexes and snapshots on every run.
     */
    public Builder storageClass(String storageClass) {
      StorageClass sc = StorageClass.fromValue(Objects.requireNonNull(storageClass, "storageClass").toUpperCase(Locale.ROOT));
      if (sc == StorageClass.UNKNOWN_TO_SDK_VERSION) {
        throw new IllegalArgumentException("unknown storage class '" + storageClass + "': use one of "
            + StorageClass.knownValues());
      }
      this.storageClass = sc;
      return this;
    }

    /**
     * Puts S3 Object Lock retention on every object written: {@code mode}, retained until the time of
     * writing plus {@code retention}. The bucket must have Object Lock enabled. Default: none.
     */
    public Builder objectLock(RetentionMode mode, Duration retention) {
      Objects.requireNonNull(mode, "mode");
      if (retention == null || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive: " + retention);
      }
      this.retentionMode = mode;
      this.retention = retention;
      return this;
    }

    /** Maximum open HTTP connections. Default 16. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** Timeout for opening a connection. Default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Timeout for a silent socket while reading or writing. Default 60 s. */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positive(timeout, "socketTimeout");
      return this;
    }

    /**
     * Attempts the SDK makes per request, retrying 5xx, throttling and resets with backoff; 1 turns
     * the SDK's retries off (e.g. under {@link dev.cairn.backup.Storages#retrying}). Default 3.
     */
    public Builder sdkMaxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("sdkMaxAttempts must be at least 1: " + attempts);
      }
      this.sdkMaxAttempts = attempts;
      return this;
    }

    /** The clock for Object Lock retain-until dates. Default: the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Adds an SDK interceptor; for tests that inspect requests. */
    Builder interceptor(ExecutionInterceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    private AwsCredentialsProvider credentialsProvider() {
      if (accessKeyId != null) {
        AwsCredentials c = sessionToken == null
            ? AwsBasicCredentials.create(accessKeyId, secretAccessKey.reveal())
            : AwsSessionCredentials.create(accessKeyId, secretAccessKey.reveal(), sessionToken.reveal());
        return StaticCredentialsProvider.create(c);
      }
      if (profile != null) {
        return ProfileCredentialsProvider.builder().profileName(profile).build();
      }
      return DefaultCredentialsProvider.builder().build();
    }

    private Region region() {
      if (region != null) {
        return Region.of(region);
      }
      try {
        return DefaultAwsRegionProviderChain.builder().build().getRegion();
      } catch (SdkClientException e) {
        if (endpoint != null) {
          return Region.US_EAST_1;
        }
        throw new IllegalStateException("no region for bucket '" + bucket
            + "': set it with region(...), ?region= in the URI, or AWS_REGION", e);
      }
    }

    /**
     * Creates the storage; it connects lazily, on the first operation.
     *
     * @throws IllegalStateException if the bucket is missing, the part size exceeds the threshold,
     *     or no region can be found
     */
    public S3Storage build() {
      if (bucket == null) {
        throw new IllegalStateException("bucket is required: call bucket(...)");
      }
      if (partSize > multipartThreshold) {
        throw new IllegalStateException("partSize (" + partSize + ") must not exceed multipartThreshold ("
            + multipartThreshold + ")");
      }
      return new S3Storage(this);
    }
  }
}
