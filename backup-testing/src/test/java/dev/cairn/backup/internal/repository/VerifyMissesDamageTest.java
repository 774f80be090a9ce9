package dev.cairn.backup.internal.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.DataSubset;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.internal.index.IndexFile;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage that 'verify' must report: a restore of the snapshot fails, so verify must not say OK. */
class VerifyMissesDamageTest {
  static final Secret PASSPHRASE = Secret.of("correct horse battery staple");
  @TempDir Path tmp;

  private Repository.Builder builder(Storage storage) {
    return Repository.builder(storage).passphrase(PASSPHRASE).keyDerivation(1024, 1, 1);
  }

  private Snapshot backup(Storage storage, Path src) throws Exception {
    Files.createDirectories(src);
    Random r = new Random(7);
    for (int i = 0; i < 4; i++) {
      byte[] b = new byte[1 << 20];
      r.nextBytes(b);
      Files.write(src.resolve("file" + i + ".bin"), b);
    }
    try (Repository repo = builder(storage).packSize(16 << 20).init()) {
      repo.backup(List.of(FileSource.of(src)));
      assertThat(repo.verify(true).ok()).isTrue();
      return repo.snapshots().get(0);
    }
  }

  private static List<Path> packFiles(Path repo) throws Exception {
    List<Path> packs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(repo.resolve("data"))) {
      s.filter(Files::isRegularFile).forEach(packs::add);
    }
    packs.sort((a, b) -> Long.compare(b.toFile().length(), a.toFile().length()));
    return packs;
  }

  /** A pack cut short (a full disk, an interrupted copy to the rotation drive): the plain check passes it. */
  @Test
  void truncatedPackIsReportedByTheStructuralCheck() throws Exception {
    Storage storage = Storages.local(tmp.resolve("repo"));
    Snapshot s = backup(storage, tmp.resolve("src"));
    Path pack = packFiles(tmp.resolve("repo")).get(0);
    byte[] b = Files.readAllBytes(pack);
    Files.write(pack, java.util.Arrays.copyOf(b, b.length / 2));
    try (Repository repo = builder(storage).open()) {
      // the data is really gone: a restore fails
      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().snapshot(s.id()).destination(tmp.resolve("out")).build()))
          .isInstanceOf(RuntimeException.class);
      VerifyReport report = repo.verify(false);
      assertThat(report.ok()).as("structural verify of a repository with a truncated pack: %s", report.problems())
          .isFalse();
    }
  }

  /** The index says one thing about where a blob is, the pack header another: --read-data must notice. */
  @Test
  void indexDisagreeingWithPackHeaderIsReportedByReadData() throws Exception {
    Storage storage = Storages.local(tmp.resolve("repo"));
    Snapshot s = backup(storage, tmp.resolve("src"));
    try (EncryptedRepository engine = EncryptedRepository.open(storage, PASSPHRASE, RepositoryOptions.defaults())) {
      List<ObjectId> oldIndexes = engine.list(FileType.INDEX);
      List<IndexFile.PackRecord> records = new ArrayList<>();
      boolean swapped = false;
      for (ObjectId p : engine.packs()) {
        List<BlobLocation> blobs = engine.packContents(p);
        List<dev.cairn.backup.internal.pack.PackEntry> entries = new ArrayList<>();
        for (BlobLocation l : blobs) {
          entries.add(EncryptedRepository.entry(l));
        }
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
          if (entries.get(i).type() == BlobType.DATA) {
            data.add(i);
          }
        }
        if (!swapped && data.size() >= 2) {
          // the locations of two data blobs swapped in the index; the pack and its header are intact
          var a = entries.get(data.get(0));
          var c = entries.get(data.get(1));
          entries.set(data.get(0), new dev.cairn.backup.internal.pack.PackEntry(a.type(), c.codec(), a.id(), c.offset(),
              c.length(), c.uncompressedLength()));
          entries.set(data.get(1), new dev.cairn.backup.internal.pack.PackEntry(c.type(), a.codec(), c.id(), a.offset(),
              a.length(), a.uncompressedLength()));
          swapped = true;
        }
        records.add(new IndexFile.PackRecord(p, engine.packSalt(p), entries));
      }
      assertThat(swapped).isTrue();
      engine.saveUnpacked(FileType.INDEX, new IndexFile(oldIndexes, records).encode());
      for (ObjectId old : oldIndexes) {
        engine.delete(FileType.INDEX, old);
      }
    }
    try (Repository repo = builder(storage).open()) {
      assertThatThrownBy(() -> repo.restore(RestoreRequest.builder().snapshot(s.id()).destination(tmp.resolve("out")).build()))
          .isInstanceOf(RuntimeException.class);
      VerifyReport report = repo.verify(DataSubset.all(), ProgressListener.NONE);
      assertThat(report.ok()).as("verify --read-data with an index that disagrees with the pack header: %s",
          report.problems()).isFalse();
      assertThat(report.damagedSnapshots()).contains(s.id());
    }
  }
}
