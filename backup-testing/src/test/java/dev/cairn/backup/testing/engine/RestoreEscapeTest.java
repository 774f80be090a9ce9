package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Repository;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.internal.repository.BlobType;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.snapshot.Snapshots;
import dev.cairn.backup.internal.tree.Node;
import dev.cairn.backup.internal.tree.TreeCodec;
import dev.cairn.backup.spi.EntryType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing a snapshot holds is ever written outside the restore destination. */
class RestoreEscapeTest {
  @TempDir Path tmp;

  @Test
  void aSourceNamedDotDotIsRestoredInsideTheDestination() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Files.createDirectories(a);
    Files.createDirectories(b);
    Files.writeString(a.resolve("escaped.txt"), "written where it should not be\n");
    Files.writeString(b.resolve("ok.txt"), "ok\n");
    try (Repository repo = TestRepos.init(new InMemoryStorage())) {
      repo.backup(List.of(FileSource.of(a).name(".."), FileSource.of(b).name("b")));
      Path parent = tmp.resolve("restores");
      Path out = parent.resolve("out");
      Files.createDirectories(parent);
      try {
        repo.restore(RestoreRequest.builder().destination(out).build());
      } catch (RuntimeException refused) {
        // refusing the name is fine too; writing outside the destination is not
      }
      assertThat(parent.resolve("escaped.txt")).as("a file restored outside the destination " + out).doesNotExist();
    }
  }

  /**
   * A tree node whose name holds a '/' (docs/format.md: names never do) below a symlink to a directory
   * outside: the restore follows the symlink it has just created and writes outside the destination.
   */
  @Test
  void aNodeNameWithASlashBelowASymlinkDoesNotWriteOutsideTheDestination() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("payload"), "owned\n");
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside.resolve("c"));
    InMemoryStorage storage = new InMemoryStorage();
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(FileSource.of(src)));
    }
    String crafted;
    try (EncryptedRepository engine = EncryptedRepository.open(storage, TestRepos.PASSPHRASE,
        RepositoryOptions.defaults())) {
      Snapshot s = Snapshots.all(engine, null).get(0);
      SnapshotSource source = s.sources().get(0);
      Node payload = TreeCodec.decode(engine.readBlob(source.tree()), "root").get(0);
      byte[] root = TreeCodec.encode(List.of(
          new Node("l", EntryType.SYMLINK, 0, null, 0777, 0, Map.of(), outside.toString(), List.of(), null),
          new Node("l/c/x", EntryType.FILE, payload.size(), null, 0644, 0, Map.of(), null, payload.content(), null)));
      ObjectId rootId = engine.chunkId(root, 0, root.length);
      engine.addBlob(BlobType.TREE, rootId, root, 0, root.length);
      engine.flush();
      SnapshotSource evil = new SnapshotSource(source.name(), source.type(), rootId, source.metadata(), List.of(), 2,
          payload.size());
      crafted = Snapshots.save(engine, new Snapshot(s.id(), s.time(), s.host(), s.plan(), s.tags(), null,
          List.of(evil), s.checks(), true)).id().hex();
    }
    try (Repository repo = TestRepos.open(storage)) {
      try {
        repo.restore(RestoreRequest.builder().snapshot(crafted).destination(tmp.resolve("out")).build());
      } catch (RuntimeException refused) {
        // refusing the damaged tree is right
      }
    }
    assertThat(outside.resolve("c/x")).as("written outside the destination through a restored symlink")
        .doesNotExist();
  }
}
