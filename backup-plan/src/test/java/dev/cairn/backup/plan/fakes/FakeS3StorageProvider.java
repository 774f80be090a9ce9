package dev.cairn.backup.plan.fakes;

import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.spi.StorageProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    return new Storage() {
      @Override
      public String location() {
        return location;
      }

      @Override
      public void put(String name, ByteBuffer content) throws IOException {
        local.put(name, content);
      }

      @Override
      public InputStream get(String name, long offset, long length) throws IOException {
        return local.get(name, offset, length);
      }

      @Override
      public List<StorageObject> list(String prefix) throws IOException {
        return local.list(prefix);
      }

      @Override
      public void delete(String name) throws IOException {
        local.delete(name);
      }

      @Override
      public Optional<StorageObject> stat(String name) throws IOException {
        return local.stat(name);
      }

      @Override
      public Optional<Instant> modified(String name) throws IOException {
        return local.modified(name);
      }

      @Override
      public void close() throws IOException {
        local.close();
      }
    };
  }
}
