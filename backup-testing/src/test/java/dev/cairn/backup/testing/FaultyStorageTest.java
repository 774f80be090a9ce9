package dev.cairn.backup.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FaultyStorageTest {
  final InMemoryStorage memory = new InMemoryStorage();
  final FaultyStorage faulty = new FaultyStorage(memory);

  /** Without armed faults it is a plain storage. */
  @Nested
  class Contract extends StorageCompatibilityKit {
    @Override
    protected Storage createStorage() {
      return new FaultyStorage(new InMemoryStorage());
    }
  }

  @Test
  void failsExactlyTheNthCallFromNow() throws Exception {
    faulty.put("a", ByteBuffer.allocate(1));
    faulty.failCall(Operation.PUT, 2);
    faulty.put("b", ByteBuffer.allocate(1));
    assertThatThrownBy(() -> faulty.put("c", ByteBuffer.allocate(1))).isInstanceOf(IOException.class)
        .hasMessageContaining("injected fault: PUT 'c'");
    faulty.put("c", ByteBuffer.allocate(1));
    assertThat(memory.list("")).hasSize(3);
    assertThat(faulty.calls(Operation.PUT)).isEqualTo(4);
  }

  @Test
  void brokenPutStoresNothingOrAPartialObjectAsAsked() {
    faulty.breakNextPut(3, false);
    assertThatThrownBy(() -> faulty.put("x", ByteBuffer.wrap(new byte[10]))).hasMessageContaining("after 3 of 10");
    assertThat(memory.raw("x")).isNull();

    faulty.breakNextPut(4, true); // a non-atomic backend, for tests of what the engine then detects
    assertThatThrownBy(() -> faulty.put("y", ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}))).isInstanceOf(IOException.class);
    assertThat(memory.raw("y")).containsExactly(1, 2, 3, 4);
    assertThat(faulty.bytes(Operation.PUT)).isEqualTo(7);
  }

  @Test
  void brokenGetDeliversThePrefixThenThrows() throws Exception {
    memory.put("p", ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5}));
    faulty.breakNextGet(2);
    try (InputStream in = faulty.get("p")) {
      assertThat(in.readNBytes(2)).containsExactly(9, 8);
      assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("broken after 2 bytes");
    }
    try (InputStream in = faulty.get("p")) {
      assertThat(in.readAllBytes()).hasSize(5);
    }
    assertThat(faulty.bytes(Operation.GET)).isEqualTo(7);
  }

  @Test
  void fullDiskRefusesWhatDoesNotFitAndFreesOnDelete() throws Exception {
    memory.put("existing", ByteBuffer.allocate(40));
    faulty.capacity(100);
    faulty.put("a", ByteBuffer.allocate(50));
    assertThatThrownBy(() -> faulty.put("b", ByteBuffer.allocate(20))).hasMessageContaining("No space left on device");
    faulty.put("a", ByteBuffer.allocate(60)); // replacing counts the new size only
    faulty.delete("existing");
    faulty.put("b", ByteBuffer.allocate(40));
    assertThat(memory.totalBytes()).isEqualTo(100);
  }

  @Test
  void healRemovesArmedFaults() throws Exception {
    faulty.failNext(Operation.GET, 3).failNext(Operation.LIST, 1);
    faulty.heal();
    memory.put("z", ByteBuffer.allocate(1));
    faulty.get("z").close();
    assertThat(faulty.list("")).hasSize(1);
  }
}
