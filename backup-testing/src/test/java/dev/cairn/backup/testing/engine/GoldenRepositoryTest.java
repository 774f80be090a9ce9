package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.StreamSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden vectors: a repository written by format version 1 is checked in under
 * {@code src/test/resources/golden/snapshot-repo-v1}; every later version must still open and restore it.
 * Regenerate only when the format version changes, with
 * {@code java -cp <test class path> dev.cairn.backup.testing.engine.GoldenRepositoryTest\$Generator backup-testing/src/test/resources/golden/snapshot-repo-v1}.
 */
class GoldenRepositoryTest {
  static final Secret PASSPHRASE = Secret.of("golden vectors v1");
  @TempDir Path tmp;

  /** The tree stored in the golden repository. */
  static void writeTree(Path root) throws IOException {
    Files.createDirectories(root.resolve("group_vars"));
    Files.createDirectories(root.resolve("roles/web/tasks"));
    Files.createDirectories(root.resolve("empty"));
    Files.writeString(root.resolve("group_vars/all.yaml"), "ntp_server: time.example.org\n");
    Files.writeString(root.resolve("roles/web/tasks/main.yaml"), "- name: install nginx\n  apt: name=nginx\n");
    Files.writeString(root.resolve("ünï code.txt"), "ünïcödé\n");
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      big.append("line ").append(i).append(" of a file spanning several chunks\n");
    }
    Files.writeString(root.resolve("big.txt"), big);
    Files.createSymbolicLink(root.resolve("link"), Path.of("group_vars/all.yaml"));
    Files.setAttribute(root.resolve("roles/web/tasks/main.yaml"), "unix:mode", 0640);
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        if (!Files.isSymbolicLink(p)) {
          Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2026-11-28T03:00:00.123456789Z")));
        }
      }
    }
  }

  /** Writes the golden repository. */
  static final class Generator {
    public static void main(String[] args) throws IOException {
      Path out = Path.of(args[0]);
      Path src = Files.createTempDirectory("golden-src");
      writeTree(src);
      try (Repository repo = Repository.builder(Storages.local(out)).passphrase(PASSPHRASE)
          .keyDerivation(1024, 1, 1).chunking(dev.cairn.backup.Chunking.of(1024, 4096, 16384)).host("golden").init()) {
        repo.backup(List.of(FileSource.of(src).name("config"), StreamSource.of("dump", "db/app.sql",
            () -> new ByteArrayInputStream("CREATE TABLE t (id INT);\n".getBytes(StandardCharsets.UTF_8)))),
            BackupOptions.builder().plan("golden").host("golden").addTag("v1")
                .clock(Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC)).build());
      }
    }
  }

  private static Path copyOfGolden(Path tmp) throws IOException, URISyntaxException {
    Path golden = Path.of(GoldenRepositoryTest.class.getResource("/golden/snapshot-repo-v1/config").toURI()).getParent();
    Path copy = tmp.resolve("repo");
    try (Stream<Path> s = Files.walk(golden)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = copy.resolve(golden.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return copy;
  }

  @Test
  void repositoryWrittenByFormatVersion1StillOpensVerifiesAndRestores() throws Exception {
    Path repoDir = copyOfGolden(tmp);
    Path expected = tmp.resolve("expected");
    writeTree(expected);
    try (Repository repo = Repository.builder(Storages.local(repoDir)).passphrase(PASSPHRASE).open()) {
      List<Snapshot> snapshots = repo.snapshots();
      assertThat(snapshots).hasSize(1);
      Snapshot s = snapshots.get(0);
      assertThat(s.time()).isEqualTo(Instant.parse("2026-11-28T03:00:00Z"));
      assertThat(s.host()).isEqualTo("golden");
      assertThat(s.tags()).containsExactly("v1");
      assertThat(s.sources()).extracting(x -> x.name()).containsExactly("config", "dump");
      assertThat(repo.verify(true).problems()).isEmpty();

      Path dest = tmp.resolve("restored");
      RestoreReport r = repo.restore(RestoreRequest.builder().destination(dest).build());
      assertThat(r.verified()).isTrue();
      TestTrees.assertSameTree(expected, dest.resolve("config"));
      assertThat(Files.readString(dest.resolve("dump/db/app.sql"))).isEqualTo("CREATE TABLE t (id INT);\n");
    }
  }
}
