package dev.cairn.backup.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest extends StorageCompatibilityKit {
  @TempDir Path dir;

  @Override
  protected Storage createStorage() {
    return Storages.local(dir.resolve("repo"));
  }

  @Test
  void reportsWhenAnObjectWasWritten() throws Exception {
    try (Storage s = createStorage()) {
      s.put("data/ab/pack", ByteBuffer.wrap(new byte[] {1, 2, 3}));
      Instant t = Instant.parse("2026-11-01T10:00:00Z");
      Files.setLastModifiedTime(dir.resolve("repo/data/ab/pack"), FileTime.from(t));
      assertThat(s.modified("data/ab/pack")).contains(t);
      assertThat(s.modified("data/ab/missing")).isEmpty();
    }
  }
}
