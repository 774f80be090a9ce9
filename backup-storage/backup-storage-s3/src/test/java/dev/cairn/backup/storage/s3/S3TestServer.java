package dev.cairn.backup.storage.s3;

import dev.cairn.backup.Secret;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/** An embedded s3proxy over jclouds' in-memory blob store, on a free loopback port. */
final class S3TestServer implements AutoCloseable {
  static final String ACCESS_KEY = "cairn-access";
  static final Secret SECRET_KEY = Secret.of("cairn-secret-key");
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private S3TestServer() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY.reveal())
        .ignoreUnknownHeaders(true) // else multi-object delete and lock headers are refused with 501
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  static S3TestServer start() throws Exception {
    return new S3TestServer();
  }

  int port() {
    return proxy.getPort();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  BlobStore blobStore() {
    return context.getBlobStore();
  }

  /** Creates a bucket with a fresh name and returns the name. */
  String newBucket() {
    String name = "bucket-" + BUCKETS.incrementAndGet();
    blobStore().createContainerInLocation(null, name);
    return name;
  }

  /** A builder for a storage in {@code bucket} on this server (or on {@code endpoint}, e.g. a proxy). */
  S3Storage.Builder storage(String bucket, URI endpoint) {
    return S3Storage.builder().bucket(bucket).endpoint(endpoint).region("us-east-1").pathStyle(true)
        .credentials(ACCESS_KEY, SECRET_KEY);
  }

  S3Storage.Builder storage(String bucket) {
    return storage(bucket, endpoint());
  }

  /** A plain SDK client on this server, for what the storage never does itself (e.g. start a multipart upload). */
  software.amazon.awssdk.services.s3.S3Client rawClient() {
    return software.amazon.awssdk.services.s3.S3Client.builder()
        .endpointOverride(endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
        .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY.reveal())))
        .build();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
