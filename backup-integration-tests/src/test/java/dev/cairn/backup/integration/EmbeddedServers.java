package dev.cairn.backup.integration;

import dev.cairn.backup.Secret;
import dev.cairn.backup.storage.s3.S3Storage;
import dev.cairn.backup.storage.sftp.SftpStorage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/** An embedded s3proxy (in-memory blob store) and an embedded SFTP server, both on free loopback ports. */
final class EmbeddedServers implements AutoCloseable {
  private static final String ACCESS_KEY = "copy-test";
  private static final Secret SECRET_KEY = Secret.of("copy-test-secret");
  private static final String SFTP_USER = "backup";
  private static final Secret SFTP_PASSWORD = Secret.of("sftp password");

  private final BlobStoreContext blobs;
  private final S3Proxy s3;
  private final SshServer sshd;
  private final Path knownHosts;

  EmbeddedServers(Path dir) throws Exception {
    blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential").build(BlobStoreContext.class);
    s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY.reveal())
        .ignoreUnknownHeaders(true).build();
    s3.start();
    for (long deadline = System.nanoTime() + 10_000_000_000L; !"STARTED".equals(s3.getState()); Thread.sleep(10)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + s3.getState());
      }
    }
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host-key")));
    sshd.setPasswordAuthenticator((user, password, session) -> SFTP_USER.equals(user)
        && SFTP_PASSWORD.reveal().equals(password));
    sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    sshd.setFileSystemFactory(new VirtualFileSystemFactory(Files.createDirectories(dir.resolve("sftp-root"))));
    sshd.start();
    knownHosts = dir.resolve("known_hosts");
  }

  /** A storage in a new bucket {@code bucket}. */
  S3Storage s3(String bucket) {
    blobs.getBlobStore().createContainerInLocation(null, bucket);
    return S3Storage.builder().bucket(bucket).endpoint(URI.create("http://127.0.0.1:" + s3.getPort()))
        .region("us-east-1").pathStyle(true).credentials(ACCESS_KEY, SECRET_KEY).build();
  }

  /** A storage in directory {@code root} of the SFTP server, trusting its key on first use. */
  SftpStorage sftp(String root) {
    return SftpStorage.builder().host("127.0.0.1").port(sshd.getPort()).user(SFTP_USER).password(SFTP_PASSWORD)
        .knownHosts(knownHosts).hostKeyPolicy(SftpStorage.HostKeyPolicy.ACCEPT_NEW).root(root).build();
  }

  @Override
  public void close() throws Exception {
    sshd.stop(true);
    s3.stop();
    blobs.close();
  }
}
