package dev.cairn.backup.testing;

import dev.cairn.backup.spi.Storage;

class InMemoryStorageTest extends StorageCompatibilityKit {
  @Override
  protected Storage createStorage() {
    return new InMemoryStorage();
  }
}
