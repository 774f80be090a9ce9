package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.internal.tree.TreeWalker;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subtree that verify found whole at one place is not walked again elsewhere; but where it sits
 * deeper than {@link TreeWalker#MAX_DEPTH}, restore refuses the snapshot as damaged, so verify must
 * say so there too, as it did when it walked every occurrence.
 */
class VerifyDeepSharedSubtreeTest {
  @TempDir Path tmp;

  /** "a/t1/../t10/f" and the same ten directories again below "b" and 4,090 more. */
  private record Deep() implements Source {
    @Override public String name() { return "deep"; }
    @Override public String type() { return "test"; }

    @Override
    public void backup(SourceContext context) throws IOException {
      StringBuilder shared = new StringBuilder();
      for (int i = 1; i <= 10; i++) {
        shared.append("/t").append(i);
      }
      StringBuilder deep = new StringBuilder("b");
      for (int i = 0; i < TreeWalker.MAX_DEPTH - 6; i++) {
        deep.append("/d");
      }
      for (String prefix : List.of("a", deep.toString())) {
        context.addFile(EntryMetadata.stream(prefix + shared + "/f"), new ByteArrayInputStream("same".getBytes()));
      }
    }
  }

  @Test
  void aSubtreeSharedBelowTheDepthLimitIsReportedThere() {
    InMemoryStorage storage = new InMemoryStorage();
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(new Deep()));
      // restore refuses it
      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().destination(tmp.resolve("out")).build()))
          .hasStackTraceContaining("directories deep");
      VerifyReport report = repo.verify(false);
      assertThat(report.ok()).as("verify of a snapshot restore refuses: %s", report.problems()).isFalse();
      assertThat(report.problems()).singleElement().asString().contains("directories deep");
    }
  }
}
