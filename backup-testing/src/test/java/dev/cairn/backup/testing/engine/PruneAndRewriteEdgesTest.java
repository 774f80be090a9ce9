package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Retention;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotRewrite;
import dev.cairn.backup.Storages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edges found by review: a file whose bytes are a tree's (so the same id) must not hide the tree from
 * prune's mark, nor be taken for the tree by a copy to a repository with other keys; and a second rewrite
 * with --forget must not drop what only the original carries.
 */
class PruneAndRewriteEdgesTest {
  @TempDir Path tmp;

  /** A file whose bytes equal a tree's (e.g. 'cairn cat blob TREE > x') has the tree's id: prune must still walk the tree. */
  @Test
  void pruneKeepsTheContentOfATreeWhoseIdIsAlsoAFileChunk() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("d"));
    Files.writeString(src.resolve("d/file.txt"), "important data that must survive prune\n");
    try (Repository repo = TestRepos.init(Storages.local(tmp.resolve("repo")))) {
      repo.backup(List.of(FileSource.of(src)));
      String first = repo.snapshots().get(0).id().hex();
      String dTree = null;
      for (String b : repo.list("blobs")) {
        if (b.startsWith("tree ")) {
          String id = b.substring(5);
          if (new String(repo.cat("blob", id), StandardCharsets.ISO_8859_1).contains("file.txt")) {
            dTree = id;
          }
        }
      }
      assertThat(dTree).isNotNull();
      // the user saves the tree for a look, inside the backed-up directory
      Files.write(src.resolve("a.bin"), repo.cat("blob", dTree));
      repo.backup(List.of(FileSource.of(src)));
      repo.forget(List.of(first), false);
      repo.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      var v = repo.verify(true);
      assertThat(v.ok()).as("the remaining snapshot is whole after prune").isTrue();
    }
  }

  /** A copy without shared chunking maps trees and chunks apart: a file with a tree's bytes stays that file. */
  @Test
  void aCopyWithOtherKeysKeepsAFileWhoseBytesAreATree() throws Exception {
    Path src = tmp.resolve("src3");
    Files.createDirectories(src.resolve("d"));
    Files.writeString(src.resolve("d/file.txt"), "some configuration\n");
    try (Repository repo = TestRepos.init(Storages.local(tmp.resolve("repo3")));
        Repository other = TestRepos.init(Storages.local(tmp.resolve("other3")))) {
      Snapshot first = repo.backup(List.of(FileSource.of(src))).snapshot();
      String dTree = TreeIds.subtree(repo, first, "d");
      byte[] treeBytes = repo.cat("blob", dTree);
      Files.write(src.resolve("a.bin"), treeBytes);
      repo.backup(List.of(FileSource.of(src)));
      assertThat(repo.copyTo(other).copied()).hasSize(2);
      Path out = tmp.resolve("out3");
      other.restore(dev.cairn.backup.RestoreRequest.builder().destination(out).build());
      assertThat(Files.readAllBytes(out.resolve("a.bin"))).isEqualTo(treeBytes);
      assertThat(out.resolve("d/file.txt")).hasContent("some configuration");
      assertThat(other.verify(true).ok()).isTrue();
    }
  }

  /** Tree ids by name, through the public inspection API. */
  private static final class TreeIds {
    static String subtree(Repository repo, Snapshot s, String name) throws Exception {
      String root = s.sources().get(0).tree().hex();
      var nodes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(repo.cat("tree", root)).get("nodes");
      for (var n : nodes) {
        if (n.get("name").asText().equals(name)) {
          return n.get("subtree").asText();
        }
      }
      throw new AssertionError("no " + name + " in " + root);
    }
  }

  /** rewrite --forget run a second time must not drop what only the original carries (a tag protecting it). */
  @Test
  void aSecondRewriteWithForgetKeepsTheOriginalsTags() throws Exception {
    Path src = tmp.resolve("src2");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a\n");
    Files.writeString(src.resolve("secret.key"), "k\n");
    try (Repository repo = TestRepos.init(Storages.local(tmp.resolve("repo2")))) {
      repo.backup(List.of(FileSource.of(src)));
      repo.rewrite(List.of(), List.of("secret.key"), false, false); // first run: inspect before forgetting
      Snapshot original = repo.snapshots().stream().filter(s -> !s.tags().contains("rewrite")).findFirst()
          .orElseThrow();
      repo.tag(List.of(original.id().hex()), List.of(), List.of("legal-hold"), List.of());
      List<SnapshotRewrite> again = repo.rewrite(List.of(), List.of("secret.key"), true, false);
      assertThat(again).singleElement().satisfies(r -> assertThat(r.existed()).isFalse());
      assertThat(repo.snapshots()).as("some snapshot still carries the original's tag")
          .anySatisfy(s -> assertThat(s.tags()).contains("legal-hold"));
      // what the tag protected is gone by the next retention run
      repo.forget(Retention.policy().keepTag("legal-hold"), false);
      assertThat(repo.snapshots()).isNotEmpty();
    }
  }
}
