package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotRewrite;
import dev.cairn.backup.Storages;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.Storage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rewrite and repair snapshots where things go wrong: a prune by another session, a lost empty tree, a
 * tree that cannot be read, a database dump next to files, a lost directory's counts, a bad read.
 */
class RewriteFaultsTest {
  @TempDir Path tmp;

  /** Flips one bit in the middle of blob {@code id} in its pack. */
  private void damage(Storage storage, ObjectId id) throws Exception {
    TestRepos.flipBitInBlob(storage, tmp.resolve("repo"), id);
  }

  /**
   * A long-lived session (a plan's daemon, any API user) rewrites after another process pruned: the
   * rewritten tree of 'd' equals a tree that prune deleted, so the rewrite must not trust its old index
   * and take that tree for stored.
   */
  @Test
  void aLongLivedSessionRewritingAfterAPruneElsewhereStoresTheTreesItNeeds() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("d"));
    Files.writeString(src.resolve("d/keep.txt"), "keep me\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    Snapshot s1;
    Snapshot s2;
    try (Repository repo = TestRepos.init(storage)) {
      s1 = repo.backup(List.of(FileSource.of(src))).snapshot();
      Thread.sleep(20);
      Files.writeString(src.resolve("d/secret.txt"), "password\n");
      s2 = repo.backup(List.of(FileSource.of(src))).snapshot();
    }
    try (Repository longLived = TestRepos.open(storage)) {
      longLived.snapshots(); // the session is in use: its index is loaded
      try (Repository other = TestRepos.open(storage)) {
        other.forget(List.of(s1.id().hex()), false);
        other.prune(PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build());
      }
      List<SnapshotRewrite> done = longLived.rewrite(List.of(s2.id().hex()), List.of("d/secret.txt"), true, false);
      assertThat(done).hasSize(1);
    }
    try (Repository fresh = TestRepos.open(storage)) {
      var report = fresh.verify(false);
      assertThat(report.ok()).as("the rewritten snapshot refers only to stored trees: " + report.problems()
          + " " + report.damagedPaths()).isTrue();
      fresh.restore(RestoreRequest.builder().destination(tmp.resolve("out")).build());
      assertThat(tmp.resolve("out/d/keep.txt")).hasContent("keep me");
    }
  }

  /**
   * The empty tree is lost (its pack was damaged, repair packs had no copy); two empty directories
   * share it. repair snapshots stores the empty tree for the first, and must read it for the second
   * from what it stored, not from the repository, where it is not written yet.
   */
  @Test
  void repairSnapshotsWithTwoEmptyDirectoriesWhoseTreeIsLost() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("e1"));
    Files.createDirectories(src.resolve("e2"));
    Files.writeString(src.resolve("f.txt"), "file\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    Snapshot s;
    try (Repository repo = TestRepos.init(storage)) {
      s = repo.backup(List.of(FileSource.of(src))).snapshot();
    }
    ObjectId empty;
    empty = TestRepos.subtree(storage, s.sources().get(0).tree(), "e1");
    assertThat(TestRepos.subtree(storage, s.sources().get(0).tree(), "e2")).isEqualTo(empty);
    damage(storage, empty);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.repairPacks(List.of(), null, false, dev.cairn.backup.ProgressListener.NONE).lostBlobs())
          .hasSize(1);
      List<SnapshotRewrite> dry = repo.repairSnapshots(List.of(), false, true);
      assertThat(dry).hasSize(1);
      // the first stores the empty tree anew; the second then finds it stored (and was empty anyway)
      assertThat(dry.get(0).removed()).containsOnlyKeys("e1");
      List<SnapshotRewrite> done = repo.repairSnapshots(List.of(), true, false);
      assertThat(done).hasSize(1);
      assertThat(done.get(0).removed()).isEqualTo(dry.get(0).removed());
      assertThat(repo.verify(true).ok()).isTrue();
      repo.restore(RestoreRequest.builder().destination(tmp.resolve("out")).build());
      assertThat(tmp.resolve("out/e1")).isEmptyDirectory();
      assertThat(tmp.resolve("out/e2")).isEmptyDirectory();
      assertThat(tmp.resolve("out/f.txt")).hasContent("file");
    }
  }

  /**
   * Three snapshots; only the newest has an unreadable tree: the rewrite fails before any snapshot is
   * written or forgotten.
   */
  @Test
  void aRewriteThatFailsOnOneSnapshotChangesNoSnapshot() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("roles"));
    Files.writeString(src.resolve("roles/main.yaml"), "v1\n");
    Files.writeString(src.resolve("secret.key"), "k\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    Snapshot s1;
    Snapshot s2;
    Snapshot s3;
    try (Repository repo = TestRepos.init(storage)) {
      s1 = repo.backup(List.of(FileSource.of(src))).snapshot();
      Files.writeString(src.resolve("roles/other.yaml"), "v2\n");
      s2 = repo.backup(List.of(FileSource.of(src))).snapshot();
      Files.writeString(src.resolve("roles/third.yaml"), "v3\n");
      s3 = repo.backup(List.of(FileSource.of(src))).snapshot();
    }
    ObjectId roles3;
    roles3 = TestRepos.subtree(storage, s3.sources().get(0).tree(), "roles");
    assertThat(roles3).isNotEqualTo(TestRepos.subtree(storage, s2.sources().get(0).tree(), "roles"));
    damage(storage, roles3);
    try (Repository repo = TestRepos.open(storage)) {
      assertThatThrownBy(() -> repo.rewrite(List.of(), List.of("secret.key"), true, false))
          .isInstanceOf(dev.cairn.backup.IntegrityException.class);
      // what the exception leaves behind
      assertThat(repo.snapshots()).extracting(Snapshot::id)
          .as("a failed rewrite changed nothing (or reported what it changed)")
          .containsExactlyInAnyOrder(s1.id(), s2.id(), s3.id());
    }
  }

  /**
   * A glob meant for stray .sql files in a file source leaves a database dump (a stream source, restored
   * whole and checked against its recorded checksum) as it is.
   */
  @Test
  void onlyFileSourcesAreRewrittenAndTheDumpStillRestoresWhole() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("tmp"));
    Files.writeString(src.resolve("tmp/old-export.sql"), "stray\n");
    Files.writeString(src.resolve("app.yaml"), "x: 1\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    byte[] dump = "CREATE TABLE t (id int);\n".repeat(50).getBytes(StandardCharsets.UTF_8);
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(FileSource.of(src).name("etc"),
          StreamSource.of("db", "app.sql", () -> new ByteArrayInputStream(dump))));
      List<SnapshotRewrite> done = repo.rewrite(List.of(), List.of("**/*.sql"), true, false);
      assertThat(done).hasSize(1);
      assertThat(done.get(0).removed()).containsOnlyKeys("etc:tmp/old-export.sql");
      Snapshot now = done.get(0).rewritten();
      RestoreReport restored = repo.restore(RestoreRequest.builder().snapshot(now.id().hex())
          .destination(tmp.resolve("out")).build());
      assertThat(restored.verified()).isTrue();
      assertThat(Files.readAllBytes(tmp.resolve("out/db/app.sql"))).isEqualTo(dump);
      assertThat(tmp.resolve("out/etc/tmp/old-export.sql")).doesNotExist();
    }
  }

  /** repair snapshots: a repaired source's entry count is what its new tree holds. */
  @Test
  void aRepairedSnapshotCountsWhatItsTreesHold() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("roles/web"));
    Files.writeString(src.resolve("roles/web/a"), "a\n");
    Files.writeString(src.resolve("roles/web/b"), "b\n");
    Files.writeString(src.resolve("top"), "t\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    Snapshot s;
    try (Repository repo = TestRepos.init(storage)) {
      s = repo.backup(List.of(FileSource.of(src))).snapshot();
    }
    ObjectId roles;
    roles = TestRepos.subtree(storage, s.sources().get(0).tree(), "roles");
    damage(storage, roles);
    try (Repository repo = TestRepos.open(storage)) {
      repo.repairPacks(List.of(), null, false, dev.cairn.backup.ProgressListener.NONE);
      SnapshotRewrite r = repo.repairSnapshots(List.of(), true, false).get(0);
      assertThat(r.rewritten().sources().get(0).entries())
          .as("entries: roles + top remain, web, a, b are lost").isEqualTo(2);
    }
  }

  /**
   * repair snapshots leaves out a stream source's dump whose chunk is lost; its SHA-256 stays recorded.
   * A restore of the repaired snapshot must report the dump as missing (as a MySQL restore reports a
   * table left out), not "every recorded checksum verified"; a restore that leaves it out on purpose
   * (--exclude) does not.
   */
  @Test
  void aRestoreOfARepairedSnapshotReportsTheDumpItLost() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("app.yaml"), "x: 1\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    byte[] dump = new byte[20_000];
    new java.util.Random(5).nextBytes(dump);
    Snapshot s;
    try (Repository repo = TestRepos.init(storage)) {
      s = repo.backup(List.of(FileSource.of(src).name("etc"),
          StreamSource.of("db", "app.sql", () -> new ByteArrayInputStream(dump)))).snapshot();
    }
    ObjectId dumpTree = s.source("db").orElseThrow().tree();
    ObjectId chunk;
    try (var engine = dev.cairn.backup.internal.repository.EncryptedRepository.open(storage, TestRepos.PASSPHRASE,
        dev.cairn.backup.internal.repository.RepositoryOptions.defaults())) {
      chunk = dev.cairn.backup.internal.tree.TreeCodec.decode(engine.readBlob(dumpTree), "tree").get(0).content().get(0);
    }
    damage(storage, chunk);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.repairPacks(List.of(), null, false).lostBlobs()).containsExactly(chunk.hex());
      SnapshotRewrite r = repo.repairSnapshots(List.of(), true, false).get(0);
      assertThat(r.removed()).containsOnlyKeys("db:app.sql");

      RestoreReport restored = repo.restore(RestoreRequest.builder().snapshot(r.rewritten().id().hex())
          .destination(tmp.resolve("out")).build());
      assertThat(tmp.resolve("out/etc/app.yaml")).hasContent("x: 1");
      assertThat(tmp.resolve("out/db/app.sql")).doesNotExist();
      assertThat(restored.results()).filteredOn(x -> x.source().equals("db")).singleElement()
          .satisfies(db -> assertThat(db.results()).singleElement().satisfies(v -> {
            assertThat(v.item()).isEqualTo("app.sql");
            assertThat(v.status()).isEqualTo(dev.cairn.backup.spi.VerificationResult.Status.MISSING);
          }));
      assertThat(restored.verified()).as("the recorded dump did not come back").isFalse();

      // leaving it out on purpose is no loss
      RestoreReport without = repo.restore(RestoreRequest.builder().snapshot(r.rewritten().id().hex())
          .exclude("*.sql").destination(tmp.resolve("out2")).build());
      assertThat(without.verified()).isTrue();
    }
  }

  /** Without --forget the originals stay; forgetting them by id, as the CLI says, leaves one snapshot. */
  @Test
  void withoutForgetTheOriginalsStayUntilForgottenById() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a\n");
    Files.writeString(src.resolve("secret.key"), "k\n");
    Storage storage = Storages.local(tmp.resolve("repo"));
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(FileSource.of(src)));
      List<SnapshotRewrite> done = repo.rewrite(List.of(), List.of("secret.key"), false, false);
      assertThat(repo.snapshots()).hasSize(2);
      // run again, as people do: the rewrite is there already and is not written twice
      List<SnapshotRewrite> again = repo.rewrite(List.of(), List.of("secret.key"), false, false);
      assertThat(again).singleElement().satisfies(r -> {
        assertThat(r.existed()).isTrue();
        assertThat(r.rewritten().id()).isEqualTo(done.get(0).rewritten().id());
      });
      assertThat(repo.snapshots()).hasSize(2);
      // and with --forget the original goes, the first run's rewrite stays
      repo.rewrite(List.of(), List.of("secret.key"), true, false);
      assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(done.get(0).rewritten().id());
    }
  }

  /** The report is the caller's to keep: changing the map given does not change it. */
  @Test
  void aSnapshotRewriteCopiesItsMap() {
    java.util.Map<String, String> removed = new java.util.LinkedHashMap<>(java.util.Map.of("a", "excluded"));
    Snapshot s = new Snapshot(ObjectId.of(new byte[32]), java.time.Instant.EPOCH, "h", "", List.of(), null,
        List.of(), List.of(), true);
    SnapshotRewrite r = new SnapshotRewrite(s, null, removed, 1, 1, 0, false);
    removed.put("b", "excluded");
    assertThat(r.removed()).containsOnlyKeys("a");
  }

  @Test
  void forgettingByIdStillWorksAfterARewriteWithoutForget() throws Exception {
    Path src = tmp.resolve("src2");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a\n");
    Files.writeString(src.resolve("secret.key"), "k\n");
    try (Repository repo = TestRepos.init(Storages.local(tmp.resolve("repo2")))) {
      repo.backup(List.of(FileSource.of(src)));
      List<SnapshotRewrite> done = repo.rewrite(List.of(), List.of("secret.key"), false, false);
      repo.forget(done.stream().map(r -> r.original().id().shortHex()).toList(), false);
      assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(done.get(0).rewritten().id());
    }
  }

  /** Counts ranged reads of packs. */
  private static class Counting extends dev.cairn.backup.testing.ForwardingStorage {
    final java.util.concurrent.atomic.AtomicLong packReads = new java.util.concurrent.atomic.AtomicLong();

    Counting(Storage d) {
      super(d);
    }

    @Override
    public java.io.InputStream get(String n, long o, long l) throws java.io.IOException {
      if (n.startsWith("data/")) {
        packReads.incrementAndGet();
      }
      return super.get(n, o, l);
    }
  }


  /**
   * A large unchanged directory under a root that changes every day: excluding it from ten snapshots
   * reads (and counts) its trees once, not once per snapshot.
   */
  @Test
  void anExcludedDirectorySharedBySnapshotsIsCountedOnce() throws Exception {
    Path src = tmp.resolve("src");
    for (int i = 0; i < 100; i++) {
      Files.createDirectories(src.resolve("node_modules/m" + i));
      Files.writeString(src.resolve("node_modules/m" + i + "/index.js"), "m" + i);
    }
    Storage local = Storages.local(tmp.resolve("repo"));
    try (Repository repo = TestRepos.init(local)) {
      for (int day = 0; day < 10; day++) {
        Files.writeString(src.resolve("today.txt"), "day " + day);
        repo.backup(List.of(FileSource.of(src)));
      }
    }
    Counting counting = new Counting(local);
    try (Repository repo = TestRepos.open(counting)) {
      List<SnapshotRewrite> dry = repo.rewrite(List.of(), List.of("node_modules"), false, true);
      assertThat(dry).hasSize(10);
      assertThat(dry).allMatch(r -> r.removedEntries() == 201);
      assertThat(counting.packReads.get()).as("pack reads for 10 snapshots sharing one 101-tree directory")
          .isLessThan(300);
    }
  }

  /**
   * One read of a tree comes back with a flipped bit (a flaky NIC, bad RAM on a NAS): nothing is damaged
   * in storage, so repair snapshots must not take the tree for lost, empty the snapshot and forget the
   * intact original.
   */
  @Test
  void oneBadReadDoesNotMakeRepairSnapshotsEmptyAnIntactSnapshot() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("etc"));
    Files.writeString(src.resolve("etc/app.yaml"), "x: 1\n");
    Storage local = Storages.local(tmp.resolve("repo"));
    Snapshot s;
    try (Repository repo = TestRepos.init(local)) {
      s = repo.backup(List.of(FileSource.of(src))).snapshot();
    }
    java.util.concurrent.atomic.AtomicBoolean flip = new java.util.concurrent.atomic.AtomicBoolean(true);
    Storage flaky = new Counting(local) {
      @Override public java.io.InputStream get(String n, long o, long l) throws java.io.IOException {
        byte[] b = delegate.get(n, o, l).readAllBytes();
        if (n.startsWith("data/") && b.length > 0 && flip.getAndSet(false)) {
          b[b.length / 2] ^= 1;
        }
        return new java.io.ByteArrayInputStream(b);
      }
    };
    try (Repository repo = TestRepos.open(flaky)) {
      List<SnapshotRewrite> done = repo.repairSnapshots(List.of(), true, false);
      assertThat(done).as("nothing is damaged in storage: " + (done.isEmpty() ? "" : done.get(0).removed())).isEmpty();
    }
    try (Repository repo = TestRepos.open(local)) {
      assertThat(repo.snapshots()).extracting(Snapshot::id).containsExactly(s.id());
    }
  }

  /** Thousands of paths left out: the report keeps the first 1000 and counts them all. */
  @Test
  void theReportOfManyRemovedPathsIsBounded() throws Exception {
    Path src = tmp.resolve("src");
    for (int d = 0; d < 3; d++) {
      Files.createDirectories(src.resolve("logs/d" + d));
      for (int i = 0; i < 500; i++) {
        Files.writeString(src.resolve("logs/d" + d + "/f" + i + ".log"), "x");
      }
    }
    Files.writeString(src.resolve("keep.txt"), "k");
    try (Repository repo = TestRepos.init(Storages.local(tmp.resolve("repo")))) {
      repo.backup(List.of(FileSource.of(src)));
      SnapshotRewrite r = repo.rewrite(List.of(), List.of("**/*.log"), true, false).get(0);
      assertThat(r.removedPaths()).isEqualTo(1500);
      assertThat(r.removedEntries()).isEqualTo(1500);
      assertThat(r.removed()).hasSize(1000).containsKey("logs/d0/f0.log");
      assertThat(r.rewritten().sources().get(0).entries()).isEqualTo(5); // keep.txt, logs, d0, d1, d2
    }
  }
}
