package dev.cairn.backup.plan.fakes;

import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * Stands in for {@code backup-storage-s3} in plan tests: {@code s3://bucket/prefix} opens a local
 * directory under {@code cairn.test.s3.root} (default: the temp directory) that reports its location as
 * the URI, so plans see an off-site storage of kind {@code s3} without a server.
 */
public final class FakeS3StorageProvider implements StorageProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("s3");
  }

  @Override
  public Storage open(URI uri) throws IOException {
    Path root = Path.of(System.getProperty("cairn.test.s3.root", System.getProperty("java.io.tmpdir")))
        .resolve(uri.getHost() + uri.getPath().replace('/', '_'));
    java.nio.file.Files.createDirectories(root);
    Storage local = Storages.local(root);
    String location = "s3://" + uri.getHost() + uri.getPath();
    return new dev.cairn.backup.testing.ForwardingStorage(local) {
      @Override
      public String location() {
        return location;
      }

      @Override
      public int parallelReads() {
        return 8; // as S3's: a round trip per read
      }
    };
  }
}
