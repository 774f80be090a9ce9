package dev.cairn.backup.integration;

import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An s3proxy for bench/copy-bench.sh: {@code BenchS3Server ACCESS_KEY SECRET_KEY BUCKET...} serves an
 * in-memory blob store on a free loopback port, creates the buckets, prints {@code READY <port>} and
 * runs until its standard input closes or it is killed. With {@code -Dbench.latencyMs=N} the port
 * printed is a {@link FaultyProxy} in front of it that delays every byte by N ms each way, as a link
 * to a remote S3 endpoint does.
 */
public final class BenchS3Server {
  private BenchS3Server() {}

  /** Starts the server; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException("usage: BenchS3Server ACCESS_KEY SECRET_KEY BUCKET...");
    }
    BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, args[0], args[1]).ignoreUnknownHeaders(true).build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    for (int i = 2; i < args.length; i++) {
      blobs.getBlobStore().createContainerInLocation(null, args[i]);
    }
    long latencyMs = Long.getLong("bench.latencyMs", 0);
    FaultyProxy link = latencyMs > 0
        ? FaultyProxy.tcp("127.0.0.1", proxy.getPort()).latency(Duration.ofMillis(latencyMs)) : null;
    System.out.println("READY " + (link != null ? link.port() : proxy.getPort()));
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // run until stdin closes
      }
    } catch (IOException e) {
      // stdin gone: stop
    }
    if (link != null) {
      link.close();
    }
    proxy.stop();
    blobs.close();
  }
}
