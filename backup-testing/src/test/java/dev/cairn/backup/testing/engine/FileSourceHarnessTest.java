package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.DirectoryRestorer;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileSource, StreamSource and DirectoryRestorer as a pair, without a repository. */
class FileSourceHarnessTest {
  @TempDir Path tmp;

  @Test
  void awkwardTreeRoundTripsThroughTheHarness() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 200, 3_000_000);
    SourceHarness h = SourceHarness.run(FileSource.of(src), tmp.resolve("harness"));
    assertThat(h.warnings()).isEmpty();
    Path dest = tmp.resolve("restored");
    RestoreResult r = h.restore(DirectoryRestorer.to(dest));
    TestTrees.assertSameTree(src, dest);
    assertThat(r.entries()).isEqualTo(TestTrees.describe(src).size());
  }

  @Test
  void includeAndExcludeGlobsSelectAnsibleFiles() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 0, 0);
    SourceHarness h = SourceHarness.run(FileSource.of(src)
        .include("group_vars/all.yaml", "roles/*/tasks/main.yaml", "deep")
        .exclude("deep/a/b/c"), tmp.resolve("h"));
    assertThat(h.entries().keySet()).containsExactlyInAnyOrder("group_vars", "group_vars/all.yaml", "roles",
        "roles/web", "roles/web/tasks", "roles/web/tasks/main.yaml", "roles/db", "roles/db/tasks",
        "roles/db/tasks/main.yaml", "deep", "deep/a", "deep/a/b", "deep/abs link");
  }

  @Test
  void aSingleFileRootIsOneEntry() throws Exception {
    Path file = tmp.resolve("hosts");
    Files.writeString(file, "127.0.0.1 localhost\n");
    SourceHarness h = SourceHarness.run(FileSource.of(file), tmp.resolve("h"));
    assertThat(h.entries().keySet()).containsExactly("hosts");
    assertThat(Files.readString(h.file("hosts"))).isEqualTo("127.0.0.1 localhost\n");
    assertThatThrownBy(() -> FileSource.of(tmp.resolve("missing")).check())
        .isInstanceOf(SourceException.class).hasMessageContaining("missing");
  }

  @Test
  void unchangedFilesAreReusedFromTheParent() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 10, 0);
    SourceHarness first = SourceHarness.run(FileSource.of(src), tmp.resolve("h1"));
    Files.writeString(src.resolve("group_vars/all.yaml"), "changed: true\n");
    SourceHarness second = SourceHarness.run(FileSource.of(src), tmp.resolve("h2"), first);
    // the harness keeps re-used entries by copying the parent's bytes; a re-read file is rewritten
    assertThat(Files.readString(second.file("group_vars/all.yaml"))).isEqualTo("changed: true\n");
    assertThat(Files.readString(second.file("secret"))).isEqualTo("s3cr3t");
  }

  @Test
  void restorerRefusesNonEmptyDestinationUnlessOverwriting() throws Exception {
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 3, 0);
    SourceHarness h = SourceHarness.run(FileSource.of(src), tmp.resolve("h"));
    Path dest = tmp.resolve("dest");
    Files.createDirectories(dest);
    Files.writeString(dest.resolve("precious"), "keep");
    assertThatThrownBy(() -> h.restore(DirectoryRestorer.to(dest)))
        .isInstanceOf(RestoreException.class).hasMessageContaining(dest.toString()).hasMessageContaining("precious");
    assertThat(Files.list(dest).count()).isEqualTo(1);
    Files.writeString(dest.resolve("empty dir"), "a file where the snapshot has a directory");
    Files.createDirectories(dest.resolve("secret"));
    assertThatThrownBy(() -> h.restore(DirectoryRestorer.to(dest).overwrite(true)))
        .isInstanceOf(RestoreException.class).hasMessageContaining("secret");
    Files.delete(dest.resolve("secret"));
    h.restore(DirectoryRestorer.to(dest).overwrite(true));
    h.restore(DirectoryRestorer.to(dest).overwrite(true)); // twice: replaces files and links in place
    assertThat(dest.resolve("empty dir")).isDirectory();
    assertThat(Files.readString(dest.resolve("secret"))).isEqualTo("s3cr3t");
    assertThat(Files.readString(dest.resolve("precious"))).isEqualTo("keep");
  }

  @Test
  void streamSourceStoresACommandsOutputWithAVerifiedChecksum() throws Exception {
    SourceHarness h = SourceHarness.run(StreamSource.command("dump", "dumps/out.txt",
        List.of("sh", "-c", "printf 'line1\\nline2\\n'; echo noise >&2")), tmp.resolve("h"));
    assertThat(Files.readString(h.file("dumps/out.txt"))).isEqualTo("line1\nline2\n");
    assertThat(h.verifications()).containsKey("dumps/out.txt");
    RestoreResult r = h.restore(DirectoryRestorer.to(tmp.resolve("r")));
    assertThat(r.verified()).isTrue();
    assertThat(r.results()).hasSize(1);
    assertThat(Files.readString(tmp.resolve("r/dumps/out.txt"))).isEqualTo("line1\nline2\n");

    SourceHarness s = SourceHarness.run(StreamSource.of("app", "app.dump",
        () -> new ByteArrayInputStream("data".getBytes(StandardCharsets.UTF_8))), tmp.resolve("h2"));
    assertThat(Files.readString(s.file("app.dump"))).isEqualTo("data");
  }

  @Test
  void failingCommandFailsTheSourceWithItsStderr() {
    assertThatThrownBy(() -> SourceHarness.run(StreamSource.command("dump", "out.sql",
        List.of("sh", "-c", "echo partial; echo 'access denied for user' >&2; exit 3")), tmp.resolve("h")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("status 3").hasMessageContaining("access denied for user");
    assertThatThrownBy(() -> SourceHarness.run(StreamSource.command("dump", "out.sql",
        List.of("/nonexistent/cairn-no-such-program")), tmp.resolve("h2")))
        .isInstanceOf(SourceException.class).hasMessageContaining("cannot start");
  }
}
