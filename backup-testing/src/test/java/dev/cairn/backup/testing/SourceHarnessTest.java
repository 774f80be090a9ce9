package dev.cairn.backup.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness holds a source to the same contract as a backup does. */
class SourceHarnessTest {
  @TempDir Path tmp;

  /** Writes a/x, reports 'a' complete, then writes {@code late} anyway. */
  private static Source addingAfterComplete(String late) {
    return new Source() {
      @Override
      public String name() {
        return "late";
      }

      @Override
      public String type() {
        return "test";
      }

      @Override
      public void backup(SourceContext context) throws IOException {
        write(context, "a/x");
        context.directoryComplete("a");
        write(context, late);
      }
    };
  }

  private static void write(SourceContext context, String path) throws IOException {
    try (OutputStream out = context.newFile(EntryMetadata.stream(path))) {
      out.write(path.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * A source that adds an entry below a directory it reported complete fails in a backup
   * (SourceContext#directoryComplete says so); the harness, which source authors test with, took it,
   * so such a source passed its tests and failed in every real backup.
   */
  @Test
  void refusesEntriesBelowADirectoryReportedComplete() throws Exception {
    try (Repository repo = Repository.builder(new InMemoryStorage()).passphrase(Secret.of("pw"))
        .keyDerivation(1024, 1, 1).init()) {
      assertThatThrownBy(() -> repo.backup(List.of(addingAfterComplete("a/y"))))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a/y'");
    }
    assertThatThrownBy(() -> SourceHarness.run(addingAfterComplete("a/y"), tmp.resolve("h1")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a/y'")
        .hasMessageContaining("reported complete");
    assertThatThrownBy(() -> SourceHarness.run(addingAfterComplete("a/b/z"), tmp.resolve("h2")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a/b/z'");
    SourceHarness.run(addingAfterComplete("ab/y"), tmp.resolve("h3")); // beside it: fine
  }
}
