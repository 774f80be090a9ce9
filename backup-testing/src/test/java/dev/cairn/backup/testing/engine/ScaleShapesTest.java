package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
