package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.Verification;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** DirectoryRestorer when reading an entry fails part-way (injected: the input's stream breaks). */
class DirectoryRestorerTest {
  private static final int FILES = 300;
  private static final int BROKEN = 150;
  @TempDir Path tmp;

  @Test
  @Timeout(60)
  void aFailedRestoreReportsTheCauseAndLeavesNoEmptyFilesBehind() throws IOException {
    Path dest = tmp.resolve("dest");
    assertThatThrownBy(() -> DirectoryRestorer.to(dest).threads(2).restore(new BrokenInput()))
        .isInstanceOf(IOException.class).hasMessageContaining("disk gone while reading d/f150");
    List<String> present = new ArrayList<>();
    for (int i = 0; i < FILES; i++) {
      Path f = dest.resolve("d/f" + i);
      if (Files.exists(f)) {
        present.add(f.getFileName().toString());
        if (i != BROKEN) {
          assertThat(Files.readString(f)).as("f%d is complete or absent", i).isEqualTo(content(i));
        }
      }
    }
    assertThat(present).as("files up to the broken one were written").contains("f0", "f149");
    try (var s = Files.list(dest)) {
      assertThat(s.map(p -> p.getFileName().toString())).as("no mode probe left behind").containsExactly("d");
    }
  }

  @Test
  @Timeout(60)
  void aFailedOverwritingRestoreLeavesTheFilesItDidNotReachAsTheyWere() throws IOException {
    Path dest = tmp.resolve("dest");
    Files.createDirectories(dest.resolve("d"));
    for (int i = 0; i < FILES; i++) {
      Files.writeString(dest.resolve("d/f" + i), "old " + i);
    }
    assertThatThrownBy(() -> DirectoryRestorer.to(dest).overwrite(true).threads(2).restore(new BrokenInput()))
        .hasMessageContaining("disk gone");
    for (int i = 0; i < FILES; i++) {
      if (i == BROKEN) {
        continue;
      }
      assertThat(Files.readString(dest.resolve("d/f" + i))).as("f%d", i).isIn(content(i), "old " + i);
    }
  }

  /**
   * The destination's disk fills at d/f150: from there on every file fails. Only the files being written
   * then may be incomplete (the class documentation: "no further file is created"), and the message must
   * name them, as the full disk's own error names no file. The restore went on creating and starting every
   * file left, each failing at once: 150 empty files, none named.
   */
  @Test
  @Timeout(60)
  void aFullDiskStopsTheRestoreAndTheMessageNamesTheIncompleteFiles() throws IOException {
    Path dest = tmp.resolve("dest");
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
        () -> DirectoryRestorer.to(dest).threads(2).restore(new BrokenInput(true)));
    assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
    List<String> incomplete = new ArrayList<>();
    for (int i = 0; i < FILES; i++) {
      Path f = dest.resolve("d/f" + i);
      if (Files.exists(f) && !Files.readString(f).equals(content(i))) {
        incomplete.add("d/f" + i);
      }
    }
    assertThat(incomplete).as("only the files the two threads were writing").contains("d/f150")
        .hasSizeLessThanOrEqualTo(2);
    for (String path : incomplete) {
      assertThat(failure.getMessage()).as("names the incomplete %s", path).contains(path);
    }
  }

  @Test
  void symlinkTargetsAreRestoredVerbatim() throws IOException {
    // what a backup records for 'ln -s /mnt/data/ data' and 'ln -s ../a//b ab': readlink's bytes
    Map<String, String> links = Map.of("data", "/mnt/data/", "ab", "../a//b", "plain", "sub/./x");
    Path dest = tmp.resolve("dest");
    DirectoryRestorer.to(dest).restore(new LinksInput(links));
    for (Map.Entry<String, String> link : links.entrySet()) {
      assertThat(Files.readSymbolicLink(dest.resolve(link.getKey())).toString()).as(link.getKey())
          .isEqualTo(link.getValue());
    }
  }

  /**
   * Overwriting a destination that already holds a million files: the check of which files already hold
   * their content must not queue a task for every one of them up front (each holds its entry and path
   * until a thread gets to it), nor must the writes of the files that do not. Here the first check, or
   * the first write, is slow; meanwhile the restore must not have looked at all the other files.
   */
  @Test
  @Timeout(60)
  void overwritingQueuesOnlyAFewFilesAheadOfTheThreads() throws IOException {
    for (boolean present : new boolean[] {true, false}) {
      Path dest = tmp.resolve("dest-" + present);
      Files.createDirectories(dest.resolve("d"));
      Files.writeString(dest.resolve("other"), "x"); // not empty: overwriting is needed either way
      int files = 5000;
      if (present) {
        for (int i = 0; i < files; i++) {
          Files.writeString(dest.resolve("d/f" + i), "y");
        }
      }
      SlowFirstInput input = new SlowFirstInput(files);
      DirectoryRestorer.to(dest).overwrite(true).threads(2).restore(input);
      assertThat(input.lookedAtDuringFirst).as("files looked at while the first %s was slow",
          present ? "check" : "write").isLessThan(1000);
      assertThat(Files.readString(dest.resolve("d/f" + (files - 1)))).isEqualTo("z");
    }
  }

  /** d/ and d/f0 … d/fN-1, each holding "z"; checks and reads started in the first second end after it. */
  private static final class SlowFirstInput implements FakeInput {
    private final List<EntryMetadata> entries;
    private final java.util.concurrent.atomic.AtomicInteger lookedAt = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final java.util.concurrent.atomic.AtomicLong slowUntil = new java.util.concurrent.atomic.AtomicLong();
    volatile int lookedAtDuringFirst = -1;

    SlowFirstInput(int files) {
      List<EntryMetadata> list = new ArrayList<>();
      list.add(new EntryMetadata("d", EntryType.DIRECTORY, 0, Instant.EPOCH, 0755, 0, Map.of()));
      for (int i = 0; i < files; i++) {
        list.add(new EntryMetadata("d/f" + i, EntryType.FILE, 1, Instant.EPOCH, 0644, 0, Map.of()));
      }
      entries = list;
    }

    private void slowOnce() {
      long until = slowUntil.updateAndGet(t -> t == 0 ? System.nanoTime() + 1_000_000_000L : t);
      boolean firstCall = first.getAndSet(false);
      try {
        for (long left; (left = until - System.nanoTime()) > 0; ) {
          Thread.sleep(left / 1_000_000 + 1); // every thread busy for the first second
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (firstCall) {
        lookedAtDuringFirst = lookedAt.get();
      }
    }

    @Override
    public boolean holdsContent(String path, InputStream existing) throws IOException {
      slowOnce();
      return false; // "y": not the content, written anew
    }

    @Override
    public List<EntryMetadata> entries() {
      return new java.util.AbstractList<>() {
        @Override
        public EntryMetadata get(int index) {
          return entries.get(index);
        }

        @Override
        public java.util.Iterator<EntryMetadata> iterator() {
          lookedAt.set(0); // how far the restore's current pass over the entries got
          java.util.Iterator<EntryMetadata> it = entries.iterator();
          return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public EntryMetadata next() {
              lookedAt.incrementAndGet();
              return it.next();
            }
          };
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }

    @Override
    public String symlinkTarget(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InputStream open(String path) {
      slowOnce();
      return new ByteArrayInputStream("z".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A snapshot's single files source with no metadata and no recorded checksums: what the fakes share. */
  private interface FakeInput extends RestoreInput {
    @Override
    default String snapshotId() {
      return "0".repeat(64);
    }

    @Override
    default Instant snapshotTime() {
      return Instant.EPOCH;
    }

    @Override
    default String sourceName() {
      return "files";
    }

    @Override
    default String sourceType() {
      return FileSource.TYPE;
    }

    @Override
    default Map<String, String> metadata() {
      return Map.of();
    }

    @Override
    default List<Verification> verifications() {
      return List.of();
    }
  }

  private static String content(int i) {
    return ("file " + i + "\n").repeat(1 + i % 7);
  }

  /** Symlinks only, by name and target. */
  private record LinksInput(Map<String, String> links) implements FakeInput {
    @Override
    public List<EntryMetadata> entries() {
      return links.keySet().stream().sorted()
          .map(name -> new EntryMetadata(name, EntryType.SYMLINK, 0, Instant.EPOCH, 0777, 0, Map.of())).toList();
    }

    @Override
    public String symlinkTarget(String path) {
      return links.get(path);
    }

    @Override
    public InputStream open(String path) {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * Entries d/, d/f0 … d/f299; reading d/f150 fails after a few bytes, and every read is a little slow.
   * With {@code diskFull}, every file from d/f150 on fails after a few bytes with the full disk's error
   * and no path, as the writes of a restore whose destination filled up do.
   */
  private static final class BrokenInput implements FakeInput {
    private final boolean diskFull;

    BrokenInput() {
      this(false);
    }

    BrokenInput(boolean diskFull) {
      this.diskFull = diskFull;
    }

    @Override
    public List<EntryMetadata> entries() {
      List<EntryMetadata> list = new ArrayList<>();
      list.add(new EntryMetadata("d", EntryType.DIRECTORY, 0, Instant.EPOCH, 0755, 0, Map.of()));
      for (int i = 0; i < FILES; i++) {
        list.add(new EntryMetadata("d/f" + i, EntryType.FILE, content(i).length(), Instant.EPOCH, 0644, 0, Map.of()));
      }
      return list;
    }

    @Override
    public String symlinkTarget(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InputStream open(String path) throws IOException {
      int i = Integer.parseInt(path.substring("d/f".length()));
      try {
        Thread.sleep(Duration.ofMillis(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      byte[] b = content(i).getBytes(StandardCharsets.UTF_8);
      if (i < BROKEN || (i > BROKEN && !diskFull)) {
        return new ByteArrayInputStream(b);
      }
      return new InputStream() {
        private int n;

        @Override
        public int read() throws IOException {
          if (n++ < 3) {
            return 'x';
          }
          throw new IOException(diskFull ? "No space left on device" : "disk gone while reading " + path);
        }
      };
    }
  }
}
