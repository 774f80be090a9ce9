package dev.cairn.backup.testing;

import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest extends StorageCompatibilityKit {
  @TempDir Path dir;

  @Override
  protected Storage createStorage() {
    return Storages.local(dir.resolve("repo"));
  }
}
