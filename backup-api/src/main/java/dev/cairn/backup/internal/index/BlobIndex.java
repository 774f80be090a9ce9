package dev.cairn.backup.internal.index;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.repository.BlobLocation;
import dev.cairn.backup.internal.repository.BlobType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The in-memory index: blob id → (pack, offset, length, uncompressed length, type, codec), in an
 * open-addressing table of primitive arrays (about 65 bytes per blob at the maximum load of 3/4,
 * no object per entry), so a million chunks cost ~65 MB; in 16 tables grown one at a time. Thread-safe (synchronized; every
 * operation is short).
 */
public final class BlobIndex {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final ThreadLocal<byte[]> TMP = ThreadLocal.withInitial(() -> new byte[ObjectId.LENGTH]);

  private final List<ObjectId> packIds = new ArrayList<>();
  private final List<byte[]> packSalts = new ArrayList<>();
  private final Map<ObjectId, Integer> packNumbers = new HashMap<>();

  /**
   * The tables the blobs are spread over (by bits of the id the slots do not use), each grown on its
   * own: growing one table of a million blobs held the old and the new arrays at once, 1.5 times the
   * index, and that peak decided whether a backup of many small files fit its heap.
   */
  private static final int SHARDS = 16;
  /** A slot number is the shard in its top bits and the slot in the shard's table in these. */
  private static final int SLOT_BITS = 27;
  private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;

  private final Table[] tables = new Table[SHARDS];
  private int size;
  private long dataBlobs;
  private long treeBlobs;
  private long storedBytes;
  private long uncompressedBytes;
  // pack -> slots grouping (compressed sparse rows), built on first use and dropped on change
  private int[] groupStart;
  private int[] groupSlots;

  /** One open-addressing table of primitive arrays. */
  private static final class Table {
    long[] keys; // 4 longs per slot
    int[] packs; // pack number + 1; 0 = empty slot
    int[] offsets;
    int[] lengths;
    int[] ulengths;
    byte[] meta; // type << 4 | codec
    int size;
    int mask;

    Table(int slots) {
      allocate(slots);
    }

    private void allocate(int slots) {
      keys = new long[slots * 4];
      packs = new int[slots];
      offsets = new int[slots];
      lengths = new int[slots];
      ulengths = new int[slots];
      meta = new byte[slots];
      mask = slots - 1;
    }

    /** The slot holding the key, or the empty slot where it would go. */
    int find(long k0, long k1, long k2, long k3) {
      int slot = (int) (k0 ^ (k0 >>> 32)) & mask;
      while (true) {
        if (packs[slot] == 0) {
          return slot;
        }
        int b = slot * 4;
        if (keys[b] == k0 && keys[b + 1] == k1 && keys[b + 2] == k2 && keys[b + 3] == k3) {
          return slot;
        }
        slot = (slot + 1) & mask;
      }
    }

    boolean full() {
      return (size + 1) * 4L > (mask + 1) * 3L;
    }

    void grow() {
      long[] oldKeys = keys;
      int[] oldPacks = packs;
      int[] oldOffsets = offsets;
      int[] oldLengths = lengths;
      int[] oldUlengths = ulengths;
      byte[] oldMeta = meta;
      allocate((mask + 1) * 2);
      for (int s = 0; s < oldPacks.length; s++) {
        if (oldPacks[s] != 0) {
          int b = s * 4;
          int slot = find(oldKeys[b], oldKeys[b + 1], oldKeys[b + 2], oldKeys[b + 3]);
          System.arraycopy(oldKeys, b, keys, slot * 4, 4);
          packs[slot] = oldPacks[s];
          offsets[slot] = oldOffsets[s];
          lengths[slot] = oldLengths[s];
          ulengths[slot] = oldUlengths[s];
          meta[slot] = oldMeta[s];
        }
      }
    }
  }

  /** An empty index. */
  public BlobIndex() {
    for (int i = 0; i < SHARDS; i++) {
      tables[i] = new Table(64);
    }
  }

  private static int shard(long k1) {
    return (int) (k1 >>> 60);
  }

  private Table table(int slot) {
    return tables[slot >>> SLOT_BITS];
  }

  /** Registers pack {@code id} with its salt; returns its number (the existing one if known). */
  public synchronized int addPack(ObjectId id, byte[] salt) {
    Integer n = packNumbers.get(id);
    if (n != null) {
      return n;
    }
    int num = packIds.size();
    packIds.add(id);
    packSalts.add(salt.clone());
    packNumbers.put(id, num);
    return num;
  }

  /** Adds the pack and its entries; blobs already indexed elsewhere keep their first location. */
  public synchronized void addPack(ObjectId id, byte[] salt, List<PackEntry> entries) {
    int num = addPack(id, salt);
    for (PackEntry e : entries) {
      add(num, e);
    }
  }

  private void add(int pack, PackEntry e) {
    byte[] tmp = TMP.get();
    e.id().copyTo(tmp, 0);
    long k0 = (long) LONGS.get(tmp, 0);
    long k1 = (long) LONGS.get(tmp, 8);
    long k2 = (long) LONGS.get(tmp, 16);
    long k3 = (long) LONGS.get(tmp, 24);
    Table t = tables[shard(k1)];
    if (t.full()) {
      if (t.mask + 1 > SLOT_MASK / 2) {
        throw new IllegalStateException("the index is full: more than " + (long) SHARDS * (SLOT_MASK / 2)
            + " blobs");
      }
      t.grow();
      groupStart = null;
      groupSlots = null;
    }
    int slot = t.find(k0, k1, k2, k3);
    if (t.packs[slot] != 0) {
      return; // already indexed
    }
    int b = slot * 4;
    t.keys[b] = k0;
    t.keys[b + 1] = k1;
    t.keys[b + 2] = k2;
    t.keys[b + 3] = k3;
    t.packs[slot] = pack + 1;
    t.offsets[slot] = e.offset();
    t.lengths[slot] = e.length();
    t.ulengths[slot] = e.uncompressedLength();
    t.meta[slot] = (byte) (e.type().id() << 4 | e.codec().id());
    t.size++;
    size++;
    groupStart = null;
    groupSlots = null;
    if (e.type() == BlobType.DATA) {
      dataBlobs++;
    } else {
      treeBlobs++;
    }
    storedBytes += e.length();
    uncompressedBytes += e.uncompressedLength();
  }

  /** The slot (shard and table slot) holding {@code id}, or the empty one where it would go. */
  private int find(ObjectId id) {
    byte[] tmp = TMP.get();
    id.copyTo(tmp, 0);
    long k1 = (long) LONGS.get(tmp, 8);
    int shard = shard(k1);
    return shard << SLOT_BITS | tables[shard].find((long) LONGS.get(tmp, 0), k1, (long) LONGS.get(tmp, 16),
        (long) LONGS.get(tmp, 24));
  }

  /** The pack number + 1 at {@code slot}; 0: empty. */
  private int packAt(int slot) {
    return table(slot).packs[slot & SLOT_MASK];
  }

  /**
   * The blobs of pack {@code pack}, in offset order (empty if unknown). The first call after a
   * change groups the whole index once (4 bytes per blob); later calls cost only the pack's blobs.
   */
  public synchronized List<BlobLocation> blobsOf(ObjectId pack) {
    Integer num = packNumbers.get(pack);
    if (num == null) {
      return List.of();
    }
    if (groupStart == null) {
      int packsCount = packIds.size();
      int[] start = new int[packsCount + 1];
      for (Table t : tables) {
        for (int p : t.packs) {
          if (p != 0) {
            start[p]++;
          }
        }
      }
      for (int i = 0; i < packsCount; i++) {
        start[i + 1] += start[i];
      }
      int[] fill = java.util.Arrays.copyOf(start, packsCount);
      int[] slots = new int[size];
      for (int shard = 0; shard < SHARDS; shard++) {
        int[] packs = tables[shard].packs;
        for (int s = 0; s < packs.length; s++) {
          if (packs[s] != 0) {
            slots[fill[packs[s] - 1]++] = shard << SLOT_BITS | s;
          }
        }
      }
      groupStart = start;
      groupSlots = slots;
    }
    List<BlobLocation> out = new ArrayList<>(groupStart[num + 1] - groupStart[num]);
    byte[] tmp = new byte[ObjectId.LENGTH];
    for (int i = groupStart[num]; i < groupStart[num + 1]; i++) {
      out.add(location(groupSlots[i], idAt(groupSlots[i], tmp)));
    }
    out.sort(java.util.Comparator.comparingLong(BlobLocation::offset));
    return out;
  }

  private ObjectId idAt(int slot, byte[] tmp) {
    long[] keys = table(slot).keys;
    int b = (slot & SLOT_MASK) * 4;
    for (int i = 0; i < 4; i++) {
      LONGS.set(tmp, i * 8, keys[b + i]);
    }
    return ObjectId.of(tmp);
  }

  /** True if blob {@code id} is indexed. */
  public synchronized boolean contains(ObjectId id) {
    return packAt(find(id)) != 0;
  }

  /**
   * A number for blob {@code id}, distinct among the blobs indexed and below {@link #ordinals()}, or -1
   * if it is not indexed: for a bit per blob instead of a set of ids. Stable until the index changes.
   */
  public synchronized int ordinal(ObjectId id) {
    int slot = find(id);
    if (packAt(slot) == 0) {
      return -1;
    }
    int shard = slot >>> SLOT_BITS;
    int base = 0;
    for (int i = 0; i < shard; i++) {
      base += tables[i].packs.length;
    }
    return base + (slot & SLOT_MASK);
  }

  /** The bound of {@link #ordinal}: the slots of all tables. */
  public synchronized int ordinals() {
    int n = 0;
    for (Table t : tables) {
      n += t.packs.length;
    }
    return n;
  }

  /** Where blob {@code id} is. */
  public synchronized Optional<BlobLocation> lookup(ObjectId id) {
    int slot = find(id);
    return packAt(slot) == 0 ? Optional.empty() : Optional.of(location(slot, id));
  }

  private BlobLocation location(int slot, ObjectId id) {
    Table t = table(slot);
    int s = slot & SLOT_MASK;
    return new BlobLocation(id, BlobType.fromId(t.meta[s] >>> 4), packIds.get(t.packs[s] - 1),
        Integer.toUnsignedLong(t.offsets[s]), t.lengths[s], t.ulengths[s], Codec.fromId(t.meta[s] & 0xf));
  }

  /** The salt of pack {@code pack}, or null if unknown. */
  public synchronized byte[] salt(ObjectId pack) {
    Integer n = packNumbers.get(pack);
    return n == null ? null : packSalts.get(n).clone();
  }

  /** True if pack {@code pack} is known. */
  public synchronized boolean hasPack(ObjectId pack) {
    return packNumbers.containsKey(pack);
  }

  /** The known packs, in the order they were added. */
  public synchronized List<ObjectId> packs() {
    return List.copyOf(packIds);
  }

  /** Calls {@code action} for every blob (on a snapshot of the entries taken under the lock). */
  public void forEach(Consumer<BlobLocation> action) {
    List<BlobLocation> all;
    synchronized (this) {
      all = new ArrayList<>(size);
      byte[] tmp = new byte[ObjectId.LENGTH];
      for (int shard = 0; shard < SHARDS; shard++) {
        int[] packs = tables[shard].packs;
        for (int s = 0; s < packs.length; s++) {
          if (packs[s] != 0) {
            int slot = shard << SLOT_BITS | s;
            all.add(location(slot, idAt(slot, tmp)));
          }
        }
      }
    }
    all.forEach(action);
  }

  /** Number of indexed blobs. */
  public synchronized int size() {
    return size;
  }

  /** Indexed data blobs. */
  public synchronized long dataBlobs() {
    return dataBlobs;
  }

  /** Indexed tree blobs. */
  public synchronized long treeBlobs() {
    return treeBlobs;
  }

  /** Stored bytes of indexed blobs. */
  public synchronized long storedBytes() {
    return storedBytes;
  }

  /** Plaintext bytes of indexed blobs. */
  public synchronized long uncompressedBytes() {
    return uncompressedBytes;
  }
}
