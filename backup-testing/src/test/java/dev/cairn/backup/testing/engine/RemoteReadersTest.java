package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.DataSubset;
import dev.cairn.backup.DumpRestorer;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.FoundEntry;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotDiff;
import dev.cairn.backup.testing.FaultyStorage;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * diff, find, dump and subset verify on storage with a round trip per read (parallel reads, latency),
 * where they take their batched paths: the same answers as on a local disk.
 */
class RemoteReadersTest {
  @TempDir Path tmp;

  @Test
  void batchedReadersGiveTheSameAnswersAsLocalOnes() throws Exception {
    Path src = tmp.resolve("src");
    Random r = new Random(21);
    for (int i = 0; i < 30; i++) {
      Files.createDirectories(src.resolve("d" + i + "/e"));
      byte[] b = new byte[20_000 + r.nextInt(200_000)];
      r.nextBytes(b);
      Files.write(src.resolve("d" + i + "/e/f" + i + ".bin"), b);
      Files.writeString(src.resolve("d" + i + "/conf.yaml"), "n: " + i + "\n");
    }
    InMemoryStorage memory = new InMemoryStorage();
    try (Repository local = TestRepos.init(memory)) {
      local.backup(List.of(FileSource.of(src)));
      Files.writeString(src.resolve("d7/conf.yaml"), "n: changed\n");
      Files.delete(src.resolve("d9/e/f9.bin"));
      local.backup(List.of(FileSource.of(src)));
    }
    FaultyStorage remote = new FaultyStorage(memory).parallelReads(8)
        .latency(FaultyStorage.Operation.GET, java.time.Duration.ofMillis(2));
    try (Repository near = TestRepos.open(memory); Repository far = TestRepos.open(remote)) {
      List<Snapshot> snaps = far.snapshots();
      SnapshotDiff a = near.diff(snaps.get(0), snaps.get(1));
      SnapshotDiff b = far.diff(snaps.get(0), snaps.get(1));
      assertThat(b.changes()).isEqualTo(a.changes())
          .extracting(c -> c.kind().symbol() + " " + c.path()).containsExactly("M d7/conf.yaml", "- d9/e/f9.bin");

      List<String> nearFound = new ArrayList<>();
      List<String> farFound = new ArrayList<>();
      near.find(snaps, (s, e) -> e.path().endsWith(".yaml"), f -> nearFound.add(label(f)));
      far.find(snaps, (s, e) -> e.path().endsWith(".yaml"), f -> farFound.add(label(f)));
      assertThat(farFound).isEqualTo(nearFound).hasSize(60);

      ByteArrayOutputStream tar = new ByteArrayOutputStream();
      String source = snaps.get(1).sources().get(0).name();
      far.restore(RestoreRequest.builder().snapshot(snaps.get(1).id()).source(source)
          .restorer(source, DumpRestorer.of("", tar)).build());
      int files = 0;
      try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
        for (TarArchiveEntry e; (e = in.getNextTarEntry()) != null; ) {
          if (e.isFile()) {
            files++;
            assertThat(in.readAllBytes()).as(e.getName()).isEqualTo(Files.readAllBytes(src.resolve(e.getName())));
          }
        }
      }
      assertThat(files).isEqualTo(59);

      var half = far.verify(DataSubset.group(1, 2), ProgressListener.NONE);
      var other = far.verify(DataSubset.group(2, 2), ProgressListener.NONE);
      assertThat(half.ok()).isTrue();
      assertThat(half.packsRead() + other.packsRead()).isEqualTo(half.packs());
    }
  }

  private static String label(FoundEntry f) {
    return f.snapshot().id().shortHex() + " " + f.entry().path();
  }
}
