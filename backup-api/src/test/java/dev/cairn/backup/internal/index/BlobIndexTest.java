package dev.cairn.backup.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.BlobType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobIndexTest {
  private static ObjectId id(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return ObjectId.of(b);
  }

  @Test
  void findsEveryEntryAfterGrowingAndKeepsTheFirstLocation() {
    Random r = new Random(1);
    BlobIndex index = new BlobIndex();
    List<ObjectId> packs = new ArrayList<>();
    List<PackEntry> all = new ArrayList<>();
    for (int p = 0; p < 50; p++) {
      ObjectId pack = id(r);
      packs.add(pack);
      List<PackEntry> entries = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        entries.add(new PackEntry(i % 7 == 0 ? BlobType.TREE : BlobType.DATA, i % 2 == 0 ? Codec.ZSTD : Codec.NONE,
            id(r), 33 + i * 1000, 990 + i, 2000 + i));
      }
      index.addPack(pack, new byte[32], entries);
      all.addAll(entries);
    }
    assertThat(index.size()).isEqualTo(20_000);
    for (int i = 0; i < all.size(); i++) {
      PackEntry e = all.get(i);
      BlobLocation l = index.lookup(e.id()).orElseThrow();
      assertThat(l.pack()).isEqualTo(packs.get(i / 400));
      assertThat(l.offset()).isEqualTo(e.offset());
      assertThat(l.length()).isEqualTo(e.length());
      assertThat(l.uncompressedLength()).isEqualTo(e.uncompressedLength());
      assertThat(l.type()).isEqualTo(e.type());
      assertThat(l.codec()).isEqualTo(e.codec());
    }
    assertThat(index.contains(id(new Random(99)))).isFalse();
    assertThat(index.blobsOf(packs.get(3))).extracting(BlobLocation::id)
        .containsExactlyElementsOf(all.subList(1200, 1600).stream().map(PackEntry::id).toList());
    assertThat(index.blobsOf(id(new Random(98)))).isEmpty();

    // the same blob in a later pack keeps its first location
    ObjectId later = id(r);
    index.addPack(later, new byte[32], List.of(all.get(0)));
    assertThat(index.lookup(all.get(0).id()).orElseThrow().pack()).isEqualTo(packs.get(0));
    assertThat(index.size()).isEqualTo(20_000);
    PackEntry fresh = new PackEntry(BlobType.DATA, Codec.NONE, id(r), 33, 10, 10);
    index.addPack(later, new byte[32], List.of(fresh));
    assertThat(index.blobsOf(later)).extracting(BlobLocation::id).containsExactly(fresh.id());

    long[] count = {0};
    index.forEach(l -> count[0]++);
    assertThat(count[0]).isEqualTo(20_001);
    assertThat(index.treeBlobs() + index.dataBlobs()).isEqualTo(20_001);
  }

  @Test
  void indexFileRoundTrips() {
    Random r = new Random(2);
    List<IndexFile.PackRecord> packs = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      byte[] salt = new byte[32];
      r.nextBytes(salt);
      packs.add(new IndexFile.PackRecord(id(r), salt,
          List.of(new PackEntry(BlobType.DATA, Codec.ZSTD, id(r), 33, 100, 200))));
    }
    IndexFile f = new IndexFile(List.of(id(r)), packs);
    IndexFile back = IndexFile.decode(f.encode(), "test");
    assertThat(back.supersedes()).isEqualTo(f.supersedes());
    assertThat(back.packs()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(back.packs().get(i).id()).isEqualTo(packs.get(i).id());
      assertThat(back.packs().get(i).salt()).isEqualTo(packs.get(i).salt());
      assertThat(back.packs().get(i).entries()).isEqualTo(packs.get(i).entries());
    }
  }
}
