package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.internal.storage.LocalStorage;
import dev.cairn.backup.spi.StorageObject;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LocalStorage.list walks the directory with Files.walk, which stats every entry it reads. An entry
 * that disappears between the readdir and the stat (the temporary file of a concurrent put being
 * renamed into place, a lock deleted by its refresh, a pack deleted) makes the walk's iterator throw
 * UncheckedIOException(NoSuchFileException); list catches that outside the loop and returns what it
 * had so far: a silently truncated listing.
 */
class LocalStorageListRaceTest {
  @TempDir Path dir;

  @Test
  void aConcurrentPutNeverHidesObjectsThatWereThereAllAlong() throws Exception {
    LocalStorage storage = new LocalStorage(dir.resolve("repo")).createRoot();
    int stable = 2000;
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < stable; i++) {
      String name = String.format("locks/%064x", i);
      storage.put(name, ByteBuffer.wrap(new byte[] {1}));
      expected.add(name);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      // what another process does in locks/ all the time: write a new lock (tmp file, then rename)
      // and delete the old one
      long n = 0;
      try {
        while (!stop.get()) {
          String name = String.format("locks/f%063x", n++);
          storage.put(name, ByteBuffer.wrap(new byte[] {2}));
          storage.delete(name);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    AtomicReference<String> firstShort = new AtomicReference<>();
    try {
      long deadline = System.nanoTime() + 2_000_000_000L;
      int rounds = 0;
      while (System.nanoTime() < deadline && firstShort.get() == null) {
        rounds++;
        Set<String> listed = new HashSet<>();
        for (StorageObject o : storage.list("locks/")) {
          listed.add(o.name());
        }
        if (!listed.containsAll(expected)) {
          Set<String> missing = new HashSet<>(expected);
          missing.removeAll(listed);
          firstShort.set("listing " + rounds + " missed " + missing.size() + " of " + stable
              + " objects that were never touched");
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(firstShort.get()).as("a listing left out stored objects").isNull();
  }

  /** An object file that is a symbolic link to a file elsewhere is listed, as before walkFileTree. */
  @Test
  void aSymlinkedObjectFileIsListedWithItsTargetsSize() throws Exception {
    LocalStorage storage = new LocalStorage(dir.resolve("repo")).createRoot();
    storage.put("data/ab/abcd", ByteBuffer.wrap(new byte[10]));
    java.nio.file.Path elsewhere = java.nio.file.Files.write(dir.resolve("moved-pack"), new byte[7]);
    java.nio.file.Files.createSymbolicLink(dir.resolve("repo/data/ab/ef01"), elsewhere);
    java.nio.file.Files.createSymbolicLink(dir.resolve("repo/data/ab/dead"), dir.resolve("nowhere"));
    assertThat(storage.list("data/")).containsExactlyInAnyOrder(new StorageObject("data/ab/abcd", 10),
        new StorageObject("data/ab/ef01", 7));
  }
}
