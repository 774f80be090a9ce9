package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.testing.InMemoryStorage;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees of shapes a large file system has: very deep nesting, very long names. */
class ScaleShapesTest {
  @TempDir Path tmp;

  /** JUnit's clean-up resolves the real path of every directory it deletes: minutes for a deep tree. */
  @AfterEach
  void removeDeepTrees() throws Exception {
    new ProcessBuilder("rm", "-rf", tmp.resolve("s").toString(), tmp.resolve("o").toString()).start().waitFor();
  }

  /** Runs {@code body} on a thread with a 512 KiB stack (the JVM's default is 1 MiB) and rethrows what it threw. */
  private static void onSmallStack(ThrowingRunnable body) throws Throwable {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        body.run();
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, "small-stack", 512 * 1024);
    t.start();
    t.join();
    if (thrown.get() != null) {
      throw thrown.get();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * A directory nested 1,800 levels deep (a 3,600-byte path, within Linux's 4,096) is backed up and
   * restored. The walk recursed once per level: `cairn backup` of such a tree ended in a
   * StackOverflowError with a thousand-line stack trace (at 1,900 levels with the default 1 MiB stack).
   */
  @Test
  void aTreeNestedThousandsOfLevelsDeepIsBackedUpAndRestored() throws Throwable {
    Path src = tmp.resolve("s");
    Path leaf = src;
    for (int i = 0; i < 1800; i++) {
      leaf = leaf.resolve("d");
    }
    Files.createDirectories(leaf);
    Files.writeString(leaf.resolve("leaf"), "at the bottom");
    Path out = tmp.resolve("o");
    onSmallStack(() -> {
      try (Repository repo = TestRepos.init(new InMemoryStorage())) {
        BackupReport report = repo.backup(List.of(FileSource.of(src)));
        assertThat(report.warnings()).isEmpty();
        repo.restore(RestoreRequest.builder().destination(out).build());
      }
    });
    assertThat(Files.readString(out.resolve(src.relativize(leaf)).resolve("leaf"))).isEqualTo("at the bottom");
  }

  /**
   * Listing a small directory of a snapshot whose source also holds a directory of 200,000 entries
   * needs only the small directory's trees. Repository.entries (behind 'cairn ls SNAPSHOT PATH' and
   * every PATH 'ls', 'dump' and 'restore' resolve) flattened the whole source into a map first: in a
   * 40 MiB heap it ended in OutOfMemoryError ('cairn ls' of a 200,000-entry directory failed the same
   * way in bin/cairn's 192 MiB heap, on a 500,000-entry snapshot).
   */
  @Test
  void listingOneDirectoryOfAHugeSnapshotReadsOnlyItsTrees() throws Exception {
    Path repoDir = tmp.resolve("repo");
    Source huge = new Source() {
      @Override
      public String name() {
        return "huge";
      }

      @Override
      public String type() {
        return "test";
      }

      @Override
      public void backup(SourceContext context) throws java.io.IOException {
        for (int i = 0; i < 200_000; i++) {
          context.addSymlink(new EntryMetadata(String.format("big/link-%07d-with-a-longer-name", i), EntryType.SYMLINK,
              0, null, 0777, 0, Map.of()), "target-" + i);
        }
        context.addFile(new EntryMetadata("small/x", EntryType.FILE, 2, null, 0644, 0, Map.of()),
            new ByteArrayInputStream("hi".getBytes(StandardCharsets.UTF_8)));
      }
    };
    try (Repository repo = TestRepos.init(Storages.local(repoDir))) {
      repo.backup(List.of(huge));
    }
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx40m",
        "-cp", System.getProperty("java.class.path"), EntriesMain.class.getName(), repoDir.toString(), "huge", "small")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).contains("ENTRIES 2").doesNotContain("OutOfMemoryError");
    assertThat(p.exitValue()).isZero();
  }
}
