package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.FaultyStorage.Operation;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore that stopped part-way, run again with overwriting allowed: files already restored are
 * checked against the snapshot and kept, only what is missing or wrong is read from the repository,
 * and the result is the snapshot exactly (the RTO of a long restore from off-site storage).
 */
class ResumedRestoreTest {
  private final InMemoryStorage storage = new InMemoryStorage();
  private Path src;
  private Snapshot snapshot;

  @TempDir
  Path tmp;

  @BeforeEach
  void backup() throws IOException {
    src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 300, 0);
    Random r = new Random(3);
    for (int i = 0; i < 4; i++) {
      byte[] b = new byte[3 << 20];
      r.nextBytes(b);
      Files.write(src.resolve("big" + i), b);
    }
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(FileSource.of(src)));
      snapshot = repo.snapshots().get(0);
    }
  }

  private RestoreReport restore(FaultyStorage through, Path out, boolean overwrite) {
    try (Repository repo = TestRepos.open(through)) {
      return repo.restore(RestoreRequest.builder().snapshot(snapshot.id()).destination(out).overwrite(overwrite)
          .build());
    }
  }

  private static RestoreResult only(RestoreReport report) {
    assertThat(report.results()).hasSize(1);
    return report.results().get(0);
  }

  @Test
  void aRestoreRunAgainAfterAFailureReadsOnlyWhatIsMissing() throws IOException {
    FaultyStorage faulty = new FaultyStorage(storage);
    Path out = tmp.resolve("out");
    long before = faulty.bytes(Operation.GET);
    restore(faulty, out, false);
    long whole = faulty.bytes(Operation.GET) - before;
    Path out2 = tmp.resolve("out2");
    // the storage goes away after part of the files: the restore stops, some files are written
    try (Repository repo = TestRepos.open(faulty)) {
      faulty.failCall(Operation.GET, 200).failCall(Operation.GET, 201).failCall(Operation.GET, 202);
      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().snapshot(snapshot.id()).destination(out2)
          .build())).hasMessageContaining("injected fault");
    }
    faulty.heal();
    long restoredBefore;
    try (var s = Files.walk(out2)) {
      restoredBefore = s.filter(Files::isRegularFile).count();
    }
    assertThat(restoredBefore).as("files written before the failure").isGreaterThan(50);

    long resumedFrom = faulty.bytes(Operation.GET);
    RestoreResult result = only(restore(faulty, out2, true));
    long resumed = faulty.bytes(Operation.GET) - resumedFrom;

    TestTrees.assertSameTree(src, out2);
    // kept: every file the failed restore finished; not those its writer threads were in when it failed
    assertThat(result.unchangedFiles()).isBetween(restoredBefore - 16, restoredBefore);
    long content;
    try (var s = Files.walk(src)) {
      content = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(result.bytes() + result.unchangedBytes()).as("written and kept: all content").isEqualTo(content);
    assertThat(resumed).as("bytes read again, of %d for the whole restore", whole).isLessThan(whole);
  }

  @Test
  void aCompleteRestoreRunAgainReadsNoFileContentAndMendsMetadata() throws IOException {
    FaultyStorage faulty = new FaultyStorage(storage);
    Path out = tmp.resolve("out");
    restore(faulty, out, false);
    // what an operator may have done since: touched a file, changed a mode, altered content in place
    Files.setLastModifiedTime(out.resolve("run.sh"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Files.setAttribute(out.resolve("secret"), "unix:mode", 0644);
    byte[] big = Files.readAllBytes(out.resolve("big2"));
    big[big.length / 2] ^= 1; // same size, one bit changed
    Files.write(out.resolve("big2"), big);

    long from = faulty.bytes(Operation.GET);
    RestoreResult result = only(restore(faulty, out, true));
    long read = faulty.bytes(Operation.GET) - from;

    TestTrees.assertSameTree(src, out);
    assertThat(result.bytes()).as("only big2 written again").isEqualTo(3 << 20);
    assertThat(read).as("trees and big2's chunks").isLessThan((3 << 20) + (1 << 20));
  }

  @Test
  void aRemoteRestoreRunAgainReadsNoBatchOfKeptFiles() throws IOException {
    // storage with a round trip per read: contents are read in batches, ahead of the files
    FaultyStorage remote = new FaultyStorage(storage).parallelReads(8);
    Path out = tmp.resolve("out");
    long first = remote.bytes(Operation.GET);
    restore(remote, out, false);
    long whole = remote.bytes(Operation.GET) - first;
    Files.delete(out.resolve("big1"));

    long from = remote.bytes(Operation.GET);
    RestoreResult result = only(restore(remote, out, true));
    long read = remote.bytes(Operation.GET) - from;

    TestTrees.assertSameTree(src, out);
    assertThat(result.bytes()).isEqualTo(3 << 20);
    assertThat(read).as("of %d for the whole restore", whole).isLessThan((3 << 20) + (2 << 20));
  }

  @Test
  void aFileReachedThroughASymlinkIsNotReadNorKept() throws IOException {
    FaultyStorage faulty = new FaultyStorage(storage);
    Path elsewhere = tmp.resolve("elsewhere");
    restore(faulty, elsewhere, false);
    // the target has 'group_vars' as a link to a directory holding the right file: restoring there must
    // make a real directory, not keep what the link points to
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.createSymbolicLink(out.resolve("group_vars"), elsewhere.resolve("group_vars"));

    restore(faulty, out, true);

    assertThat(Files.isSymbolicLink(out.resolve("group_vars"))).isFalse();
    TestTrees.assertSameTree(src, out);
  }

  @Test
  void aKeptStreamIsStillCheckedAgainstItsRecordedChecksum() throws IOException {
    InMemoryStorage streams = new InMemoryStorage();
    byte[] dump = new byte[2 << 20];
    new Random(5).nextBytes(dump);
    Snapshot s;
    try (Repository repo = TestRepos.init(streams)) {
      repo.backup(List.of(StreamSource.of("db", "app.sql", () -> new ByteArrayInputStream(dump))));
      s = repo.snapshots().get(0);
    }
    Path out = tmp.resolve("dump");
    try (Repository repo = TestRepos.open(streams)) {
      repo.restore(RestoreRequest.builder().snapshot(s.id()).destination(out).build());
      RestoreResult again = only(repo.restore(RestoreRequest.builder().snapshot(s.id()).destination(out)
          .overwrite(true).build()));
      assertThat(again.unchangedFiles()).isEqualTo(1);
      assertThat(again.bytes()).isZero();
      assertThat(again.results()).singleElement().satisfies(r -> assertThat(r.ok()).isTrue());
    }
    assertThat(Files.readAllBytes(out.resolve("app.sql"))).isEqualTo(dump);
  }
}
