package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backups in the same instant (a coarse or fixed clock) that differ in tags and in content (files of
 * the same size) have the same copy identity. docs/copy.md promises both are copied.
 */
class CopyIdentityCollisionTest {
  @TempDir Path tmp;

  private static byte[] bytes(int seed) {
    byte[] b = new byte[8 * 1024];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static BackupOptions at(Instant t, String tag) {
    return BackupOptions.builder().clock(Clock.fixed(t, ZoneOffset.UTC)).addTag(tag).build();
  }

  /** Copied one at a time (as a plan does: only the snapshot just taken), the second is taken as present. */
  @Test
  void secondSnapshotOfTheSameInstantIsCopiedWhenNamedAlone() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Instant t0 = Instant.parse("2026-11-28T02:00:00Z");
    try (Repository primary = TestRepos.init(new InMemoryStorage());
        Repository copy = TestRepos.builder(new InMemoryStorage()).chunkingFrom(primary).init()) {
      Files.write(src.resolve("f.bin"), bytes(1));
      ObjectId first = primary.backup(List.of(FileSource.of(src)), at(t0, "daily")).snapshotId();
      assertThat(primary.copyTo(copy, List.of(first.hex()), ProgressListener.NONE).copied()).hasSize(1);

      Files.write(src.resolve("f.bin"), bytes(2));
      ObjectId second = primary.backup(List.of(FileSource.of(src)), at(t0, "monthly")).snapshotId();
      CopyReport r = primary.copyTo(copy, List.of(second.hex()), ProgressListener.NONE);
      assertThat(r.copied()).as("snapshot %s (other tags, other content) was reported already present",
          second.shortHex()).hasSize(1);
      assertThat(copy.snapshots()).hasSize(2);
    }
  }

  /**
   * Without shared chunking: both were copied; the ids recovered from earlier copies pair each source
   * snapshot with a destination snapshot of the same identity, possibly the other one's copy. A later
   * snapshot holding both contents is then copied with one file's chunks swapped for the other's.
   */
  @Test
  void laterCopyWithoutSharedChunkingRestoresTheRightContent() throws Exception {
    Path src = tmp.resolve("src2");
    Files.createDirectories(src);
    Instant t0 = Instant.parse("2026-11-28T02:00:00Z");
    byte[] a = bytes(11);
    byte[] b = bytes(12);
    try (Repository primary = TestRepos.init(new InMemoryStorage());
        Repository copy = TestRepos.init(new InMemoryStorage())) {
      Files.write(src.resolve("f.bin"), a);
      primary.backup(List.of(FileSource.of(src)), at(t0, "daily"));
      Files.write(src.resolve("f.bin"), b);
      primary.backup(List.of(FileSource.of(src)), at(t0, "monthly"));
      assertThat(primary.copyTo(copy).copied()).hasSize(2);

      Files.delete(src.resolve("f.bin"));
      Files.write(src.resolve("a.bin"), a);
      Files.write(src.resolve("b.bin"), b);
      ObjectId third = primary.backup(List.of(FileSource.of(src)), at(t0.plusSeconds(3600), "daily")).snapshotId();
      assertThat(primary.copyTo(copy).copied()).hasSize(1);

      ObjectId copied = copy.snapshots().stream().filter(s -> s.time().equals(t0.plusSeconds(3600))).findFirst()
          .orElseThrow().id();
      assertThat(copy.verify(true).ok()).isTrue();
      Path out = tmp.resolve("out");
      copy.restore(RestoreRequest.builder().snapshot(copied).destination(out).build());
      assertThat(java.util.Arrays.equals(Files.readAllBytes(out.resolve("a.bin")), a))
          .as("a.bin of the copy of %s restores its own content", third.shortHex()).isTrue();
      assertThat(java.util.Arrays.equals(Files.readAllBytes(out.resolve("b.bin")), b))
          .as("b.bin of the copy of %s restores its own content", third.shortHex()).isTrue();
    }
  }
}
