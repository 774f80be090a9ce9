package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.FoundEntry;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotRewrite;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rewrite --exclude}: a secret backed up by mistake is taken out of every snapshot, and prune
 * then removes its data; the rest restores as before.
 */
class RewriteTest {
  private static final String SECRET = "vault password: correct horse battery staple\n".repeat(200);
  @TempDir Path tmp;
  private Path src;
  private Storage storage;
  private final List<Snapshot> originals = new ArrayList<>();

  @BeforeEach
  void twoBackupsHoldingASecret() throws Exception {
    src = tmp.resolve("ansible");
    Files.createDirectories(src.resolve("group_vars"));
    Files.createDirectories(src.resolve("secrets"));
    Files.createDirectories(src.resolve("roles/web/tasks"));
    Files.writeString(src.resolve("group_vars/all.yaml"), "ntp: pool.ntp.org\n");
    Files.writeString(src.resolve("roles/web/tasks/main.yaml"), "- name: nginx\n  apt: name=nginx\n");
    Files.writeString(src.resolve("secrets/vault.key"), SECRET);
    storage = Storages.local(tmp.resolve("repo"));
    try (Repository repo = TestRepos.init(storage)) {
      originals.add(repo.backup(List.of(FileSource.of(src))).snapshot());
      Files.writeString(src.resolve("group_vars/all.yaml"), "ntp: time.example.org\n");
      originals.add(repo.backup(List.of(FileSource.of(src))).snapshot());
    }
  }

  @Test
  void aSecretLeavesEverySnapshotAndPruneRemovesItsData() throws Exception {
    try (Repository repo = TestRepos.open(storage)) {
      List<SnapshotRewrite> done = repo.rewrite(List.of(), List.of("secrets"), true, false);
      assertThat(done).hasSize(2);
      for (SnapshotRewrite r : done) {
        assertThat(r.removed()).containsOnlyKeys("secrets");
        assertThat(r.removedEntries()).isEqualTo(2); // the directory and the file in it
        assertThat(r.removedBytes()).isEqualTo(SECRET.length());
        assertThat(r.rewritten().tags()).contains("rewrite");
        assertThat(r.rewritten().time()).isEqualTo(r.original().time());
        assertThat(r.rewritten().complete()).isTrue();
        assertThat(r.rewritten().sources().get(0).entries())
            .isEqualTo(r.original().sources().get(0).entries() - 2);
      }
      List<Snapshot> now = repo.snapshots();
      assertThat(now).extracting(Snapshot::time).containsExactly(originals.get(0).time(), originals.get(1).time());
      assertThat(now).extracting(Snapshot::id).doesNotContainAnyElementsOf(originals.stream().map(Snapshot::id).toList());

      long before = repo.stats().dataBlobs();
      repo.prune(PruneOptions.builder().maxUnused("0").safetyWindow(java.time.Duration.ZERO).build());
      assertThat(repo.stats().dataBlobs()).as("the secret's chunk is gone").isEqualTo(before - 1);
      List<FoundEntry> found = new ArrayList<>();
      repo.find(repo.snapshots(), (source, e) -> e.path().contains("vault"), found::add);
      assertThat(found).isEmpty();
      assertThat(repo.verify(true).ok()).isTrue();

      Path out = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(out).build());
      assertThat(out.resolve("secrets")).doesNotExist();
      assertThat(Files.readString(out.resolve("group_vars/all.yaml"))).isEqualTo("ntp: time.example.org\n");
      assertThat(Files.readString(out.resolve("roles/web/tasks/main.yaml"))).startsWith("- name: nginx");

      // nothing left to match: nothing is written
      assertThat(repo.rewrite(List.of(), List.of("secrets/**"), true, false)).isEmpty();
      assertThat(repo.snapshots()).hasSize(2);
    }
  }

  @Test
  void withoutForgetBothStayAndADryRunChangesNothing() throws Exception {
    Map<String, Long> before = TestRepos.objects(storage);
    try (Repository repo = TestRepos.open(storage)) {
      List<SnapshotRewrite> dry = repo.rewrite(List.of(originals.get(1).id().shortHex()), List.of("**/*.key"),
          true, true);
      assertThat(dry).hasSize(1);
      assertThat(dry.get(0).rewritten()).isNull();
      assertThat(dry.get(0).removed()).containsOnlyKeys("secrets/vault.key");
      assertThat(TestRepos.objects(storage)).isEqualTo(before);

      List<SnapshotRewrite> kept = repo.rewrite(List.of("latest"), List.of("**/*.key"), false, false);
      assertThat(kept).hasSize(1);
      assertThat(kept.get(0).removedEntries()).isEqualTo(1);
      assertThat(repo.snapshots()).hasSize(3);

      assertThatThrownBy(() -> repo.rewrite(List.of(), List.of(), true, false))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one exclude");
      assertThatThrownBy(() -> repo.rewrite(List.of(), List.of("[oops"), true, false))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[oops");
    }
  }

  @Test
  void repairSnapshotsRestoresADirectoryWhoseListingIsLostAsAnEmptyOne() throws Exception {
    // damage exactly the tree of 'roles' in its pack, as bit rot would
    TestRepos.flipBitInBlob(storage, tmp.resolve("repo"),
        TestRepos.subtree(storage, originals.get(1).sources().get(0).tree(), "roles"));
    try (Repository repo = TestRepos.open(storage)) {
      var packs = repo.repairPacks(List.of(), null, false, dev.cairn.backup.ProgressListener.NONE);
      assertThat(packs.lostBlobs()).hasSize(1);
      assertThatThrownBy(() -> repo.rewrite(List.of(), List.of("secrets"), true, false))
          .isInstanceOf(dev.cairn.backup.IntegrityException.class).hasMessageContaining("at 'roles'")
          .hasMessageContaining("cairn repair snapshots");
      assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactlyElementsOf(
          originals.stream().map(Snapshot::id).toList());
      List<SnapshotRewrite> repaired = repo.repairSnapshots(List.of(), true, false);
      assertThat(repaired).hasSize(2); // both snapshots share the unchanged 'roles' tree
      for (SnapshotRewrite r : repaired) {
        assertThat(r.removed()).containsOnlyKeys("roles");
        assertThat(r.removed().get("roles")).contains("restored as an empty directory");
      }
      assertThat(repo.verify(true).ok()).isTrue();
      Path out = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(out).build());
      assertThat(out.resolve("roles")).isEmptyDirectory();
      assertThat(Files.readString(out.resolve("secrets/vault.key"))).isEqualTo(SECRET);
      // a rewrite meets no unreadable tree any more
      assertThat(repo.rewrite(List.of(), List.of("nothing-matches"), true, false)).isEmpty();
    }
  }
}
