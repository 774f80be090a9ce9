package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repository.tag: tags change, the snapshot keeps its content, and copies do not duplicate it. */
class TagTest {
  @TempDir Path tmp;

  @Test
  void twoBackupsDifferingOnlyInTagsAreBothCopied() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("all.yaml"), "x: 1\n");
    java.time.Clock fixed = java.time.Clock.fixed(java.time.Instant.parse("2026-11-28T02:00:00Z"),
        java.time.ZoneOffset.UTC);
    try (Repository primary = TestRepos.init(new InMemoryStorage());
        Repository copy = TestRepos.builder(new InMemoryStorage()).chunkingFrom(primary).init()) {
      primary.backup(List.of(FileSource.of(src)), dev.cairn.backup.BackupOptions.builder().clock(fixed)
          .addTag("daily").build());
      assertThat(primary.copyTo(copy).copied()).hasSize(1);
      primary.backup(List.of(FileSource.of(src)), dev.cairn.backup.BackupOptions.builder().clock(fixed)
          .addTag("monthly").build());
      var second = primary.copyTo(copy);
      assertThat(second.copied()).extracting(Snapshot::tags).containsExactly(List.of("monthly"));
      assertThat(second.alreadyPresent()).hasSize(1);
      assertThat(primary.copyTo(copy).copied()).isEmpty();
      assertThat(copy.snapshots()).hasSize(2);
    }
  }

  @Test
  void retaggingRewritesTheSnapshotAndCopiesDoNotRepeatIt() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("all.yaml"), "x: 1\n");
    InMemoryStorage primaryStorage = new InMemoryStorage();
    InMemoryStorage copyStorage = new InMemoryStorage();
    try (Repository primary = TestRepos.init(primaryStorage);
        Repository copy = TestRepos.builder(copyStorage).chunkingFrom(primary).init()) {
      ObjectId id = primary.backup(List.of(FileSource.of(src))).snapshotId();
      assertThat(primary.copyTo(copy).copied()).hasSize(1);

      List<Snapshot> now = primary.tag(List.of(id.shortHex()), null, List.of("pinned", "release"), List.of());
      Snapshot tagged = now.get(0);
      assertThat(tagged.tags()).containsExactly("pinned", "release");
      assertThat(tagged.id()).isNotEqualTo(id);
      assertThat(primary.snapshots()).extracting(Snapshot::id).containsExactly(tagged.id());
      assertThat(tagged.sources()).isEqualTo(primary.snapshots().get(0).sources());
      Path out = tmp.resolve("out");
      primary.restore(RestoreRequest.builder().snapshot(tagged.id()).destination(out).build());
      assertThat(Files.readString(out.resolve("all.yaml"))).isEqualTo("x: 1\n");

      // set, then remove; an unchanged result keeps the id
      Snapshot set = primary.tag(List.of("latest"), List.of("only"), List.of(), List.of()).get(0);
      assertThat(set.tags()).containsExactly("only");
      Snapshot same = primary.tag(List.of("latest"), null, List.of("only"), List.of()).get(0);
      assertThat(same.id()).isEqualTo(set.id());
      assertThat(primary.tag(List.of("latest"), null, List.of(), List.of("only")).get(0).tags()).isEmpty();

      // the copy already holds it: a re-tagged snapshot is not copied again
      var again = primary.copyTo(copy);
      assertThat(again.copied()).isEmpty();
      assertThat(again.alreadyPresent()).hasSize(1);

      assertThatThrownBy(() -> primary.tag(List.of("latest", "ffffffff"), null, List.of("x"), List.of()))
          .isInstanceOf(BackupException.class).hasMessageContaining("ffffffff");
      assertThat(primary.snapshots().get(0).tags()).isEmpty();
    }
  }

  /**
   * A tag interrupted after the new snapshot was written and before the old one was removed leaves
   * both; running the same command again (as after any interruption) finishes it, and does not write
   * the tagged snapshot a second time.
   */
  @Test
  void runningAnInterruptedTagAgainLeavesOneSnapshot() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("all.yaml"), "x: 1\n");
    dev.cairn.backup.testing.FaultyStorage storage = new dev.cairn.backup.testing.FaultyStorage(new InMemoryStorage());
    try (Repository repo = TestRepos.init(storage)) {
      ObjectId id = repo.backup(List.of(FileSource.of(src))).snapshotId();
      storage.failCall(dev.cairn.backup.testing.FaultyStorage.Operation.DELETE, 1); // the old snapshot's removal
      assertThatThrownBy(() -> repo.tag(List.of(id.hex()), null, List.of("keep"), List.of()))
          .hasMessageContaining("injected fault");
      assertThat(repo.snapshots()).hasSize(2); // both, never neither

      Snapshot tagged = repo.tag(List.of(id.hex()), null, List.of("keep"), List.of()).get(0);
      assertThat(repo.snapshots()).as("the tagged snapshot is there once").extracting(Snapshot::id)
          .containsExactly(tagged.id());
      assertThat(tagged.tags()).containsExactly("keep");
    }
  }
}
