package dev.cairn.backup.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.storage.RetryingStorage;
import dev.cairn.backup.internal.storage.LocalStorage;
import dev.cairn.backup.spi.Storage;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code s3://} URIs through {@link Storages#fromUri}, with credentials from the SDK's default chain. */
class S3StorageProviderIT {
  static S3TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = S3TestServer.start();
    // the default chain reads these system properties (and AWS_ACCESS_KEY_ID etc. from the environment)
    System.setProperty("aws.accessKeyId", S3TestServer.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3TestServer.SECRET_KEY.reveal());
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    server.close();
  }

  @Test
  void opensAnS3UriWithCredentialsFromTheDefaultChain() throws Exception {
    String bucket = server.newBucket();
    String uri = "s3://" + bucket + "/site/offsite?endpoint=" + server.endpoint() + "&region=eu-west-1&path-style=true";
    try (Storage s = Storages.fromUri(uri)) {
      assertThat(s).isInstanceOfSatisfying(RetryingStorage.class, r -> assertThat(r.delegate()).isInstanceOf(S3Storage.class));
      s.put("config", ByteBuffer.wrap(new byte[] {7, 7, 7}));
      try (InputStream in = s.get("config")) {
        assertThat(in.readAllBytes()).containsExactly(7, 7, 7);
      }
    }
    assertThat(server.blobStore().blobExists(bucket, "site/offsite/config")).isTrue();
  }

  @Test
  void parsesEveryOption() {
    S3Storage.Builder b = S3StorageProvider.builderFor(URI.create(
        "s3://b/p?endpoint=http://x:9000&region=r&path-style=false&storage-class=GLACIER_IR&object-lock=governance&retention=30d"));
    assertThat(b).isNotNull();
    assertThat(S3StorageProvider.duration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(S3StorageProvider.duration("P2D")).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void rejectsMalformedUrisNamingThePart() {
    assertThatThrownBy(() -> Storages.fromUri("s3://bucket/p?colour=blue")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown parameter 'colour'");
    assertThatThrownBy(() -> Storages.fromUri("s3://bucket/p?object-lock=governance")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("retention");
    assertThatThrownBy(() -> Storages.fromUri("s3://bucket/p?object-lock=forever&retention=1d"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("governance or compliance");
    assertThatThrownBy(() -> Storages.fromUri("s3://key:secret@bucket/p")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("credentials do not belong in the URI").hasMessageNotContaining("secret@");
  }

  @Test
  void plainPathOpensALocalStorage(@TempDir Path dir) throws Exception {
    try (Storage s = Storages.fromUri(dir.resolve("repo").toString())) {
      assertThat(s).isInstanceOf(LocalStorage.class);
      s.put("config", ByteBuffer.wrap(new byte[] {1}));
    }
    assertThat(Files.exists(dir.resolve("repo/config"))).isTrue();
  }

  @Test
  void schemeWithoutProviderNamesTheModuleToAdd() {
    // backup-storage-sftp is not on this module's class path
    assertThatThrownBy(() -> Storages.fromUri("sftp://backup@host:22/srv/repo"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no storage provider for scheme 'sftp'")
        .hasMessageContaining("dev.cairn:backup-storage-sftp");
  }
}
