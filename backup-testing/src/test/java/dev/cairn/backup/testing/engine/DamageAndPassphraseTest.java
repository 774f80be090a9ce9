package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.DataSubset;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.WrongPassphraseException;
import dev.cairn.backup.spi.Storage;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong passphrases and damaged packs: clear errors, exact damage reports, the rest still restores. */
class DamageAndPassphraseTest {
  @TempDir Path tmp;

  @Test
  void wrongPassphraseGivesAClearErrorAndChangesNothing() throws Exception {
    Storage storage = Storages.local(tmp.resolve("repo"));
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 5, 0);
    try (Repository repo = TestRepos.init(storage)) {
      repo.backup(List.of(FileSource.of(src)));
    }
    Map<String, Long> before = TestRepos.objects(storage);
    assertThatThrownBy(() -> Repository.builder(storage).passphrase(Secret.of("wrong")).open())
        .isInstanceOf(WrongPassphraseException.class)
        .hasMessageContaining(storage.location());
    assertThat(TestRepos.objects(storage)).isEqualTo(before);
    assertThatThrownBy(() -> TestRepos.open(Storages.local(tmp.resolve("nothing-here"))))
        .isInstanceOf(RepositoryNotFoundException.class);
  }

  @Test
  void flippedByteInAPackIsNamedWithItsSnapshotsAndPathsAndUntouchedFilesStillRestore() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Random r = new Random(5);
    for (int i = 0; i < 6; i++) {
      byte[] b = new byte[3 << 20];
      r.nextBytes(b);
      Files.write(src.resolve("file" + i + ".bin"), b);
    }
    Files.writeString(src.resolve("small.txt"), "small");
    Storage storage = Storages.local(tmp.resolve("repo"));
    BackupReport first;
    BackupReport second;
    try (Repository repo = TestRepos.builder(storage).packSize(4 << 20).init()) {
      first = repo.backup(List.of(FileSource.of(src)));
      second = repo.backup(List.of(FileSource.of(src)));
      assertThat(repo.verify(true).ok()).isTrue();
    }
    // the largest pack holds content chunks, not only trees
    Path pack;
    List<Path> packs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(tmp.resolve("repo/data"))) {
      s.filter(Files::isRegularFile).forEach(packs::add);
    }
    packs.sort((a, b) -> Long.compare(b.toFile().length(), a.toFile().length()));
    pack = packs.get(0);
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      long pos = ch.size() / 3;
      ch.read(one, pos);
      one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
      ch.write(one, pos);
    }
    String packName = pack.getFileName().toString();
    try (Repository repo = TestRepos.open(storage)) {
      VerifyReport structural = repo.verify(false);
      assertThat(structural.readData()).isFalse();
      assertThat(structural.packsRead()).isZero();
      assertThat(structural.dataSubset()).isEqualTo(DataSubset.none());

      VerifyReport report = repo.verify(true);
      assertThat(report.ok()).isFalse();
      assertThat(report.damagedPacks()).containsExactly(packName);
      assertThat(report.damagedSnapshots()).containsExactlyInAnyOrder(first.snapshotId(), second.snapshotId());
      List<String> damaged = report.damagedPaths().stream().map(VerifyReport.DamagedPath::path).distinct().toList();
      assertThat(damaged).isNotEmpty().allMatch(p -> p.startsWith("file"));
      assertThat(report.problems()).anyMatch(p -> p.contains(packName));
      assertThat(report.damagedPaths()).allMatch(d -> d.source().equals("files"));
      assertThat(report.dataSubset()).isEqualTo(DataSubset.all());
      assertThat(report.packsRead()).isEqualTo(report.packs());

      // a subset finds the damage only when it reads the damaged pack; the two halves read every pack once
      int group = (int) (Long.parseLong(packName.substring(0, 8), 16) % 2) + 1;
      VerifyReport hit = repo.verify(DataSubset.group(group, 2), ProgressListener.NONE);
      VerifyReport miss = repo.verify(DataSubset.group(3 - group, 2), ProgressListener.NONE);
      assertThat(hit.ok()).isFalse();
      assertThat(hit.damagedPacks()).containsExactly(packName);
      assertThat(hit.damagedPaths()).isEqualTo(report.damagedPaths());
      assertThat(hit.dataSubset()).hasToString(group + "/2");
      assertThat(hit.readData()).as("a subset is not the full read").isFalse();
      assertThat(miss.ok()).as(miss.problems().toString()).isTrue();
      assertThat(hit.packsRead() + miss.packsRead()).isEqualTo(report.packs());
      assertThat(hit.bytesRead() + miss.bytesRead()).isEqualTo(report.bytesRead());
      assertThat(miss.packs()).isEqualTo(report.packs());
      // a size reads packs until it is reached: one byte is one pack
      VerifyReport one = repo.verify(DataSubset.bytes(1), ProgressListener.NONE);
      assertThat(one.packsRead()).isEqualTo(1);
      assertThat(one.readData()).isFalse();
      assertThat(repo.verify(DataSubset.percent(100), ProgressListener.NONE).ok()).isFalse();

      // files untouched by the damage restore, and are identical
      List<String> intact = new ArrayList<>();
      try (Stream<Path> s = Files.list(src)) {
        s.map(p -> p.getFileName().toString()).filter(n -> !damaged.contains(n)).forEach(intact::add);
      }
      assertThat(intact).contains("small.txt");
      Path dest = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().paths(intact).destination(dest).build());
      for (String name : intact) {
        assertThat(Files.mismatch(src.resolve(name), dest.resolve(name))).as(name).isEqualTo(-1);
      }
      // a damaged file does not restore silently
      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().path(damaged.get(0))
          .destination(tmp.resolve("bad")).build()))
          .isInstanceOf(IntegrityException.class);
    }
  }
}
