package dev.cairn.backup.internal.index;

import dev.cairn.backup.ObjectId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A set of object ids in primitive arrays, for walks that visit every chunk of a repository: about 44
 * bytes per id at the most load (3/4), where a {@code HashSet<ObjectId>} takes about 100. Its iterator
 * makes an {@link ObjectId} per id; removal is not supported. Not thread-safe.
 */
public final class IdSet extends AbstractSet<ObjectId> {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] tmp = new byte[ObjectId.LENGTH];
  private long[] keys; // 4 longs per slot
  private boolean[] used;
  /** A small number per id ({@link #put}), null until one is given: 2 bytes a slot more. */
  private short[] values;
  private int size;

  /** An empty set. */
  public IdSet() {
    keys = new long[4 * 1024];
    used = new boolean[1024];
  }

  /** Adds {@code id}; true if it was not in the set. */
  @Override
  public boolean add(ObjectId id) {
    if ((size + 1) * 4L > used.length * 3L) {
      grow();
    }
    int slot = find(id);
    if (used[slot]) {
      return false;
    }
    put(slot);
    size++;
    return true;
  }

  /**
   * Adds {@code id} with {@code value} (0 to {@link Short#MAX_VALUE}), or gives it {@code value} if it is
   * in the set already.
   */
  public void put(ObjectId id, int value) {
    if (value < 0 || value > Short.MAX_VALUE) {
      throw new IllegalArgumentException("value out of range: " + value);
    }
    if (values == null) {
      values = new short[used.length];
    }
    add(id);
    values[find(id)] = (short) value;
  }

  /** The value {@link #put} gave {@code id} (0 if it was only added), or -1 if it is not in the set. */
  public int value(ObjectId id) {
    int slot = find(id);
    if (!used[slot]) {
      return -1;
    }
    return values == null ? 0 : values[slot];
  }

  /** Whether {@code o} is an id in the set. */
  @Override
  public boolean contains(Object o) {
    return o instanceof ObjectId id && used[find(id)];
  }

  /** The number of ids. */
  @Override
  public int size() {
    return size;
  }

  @Override
  public Iterator<ObjectId> iterator() {
    return new Iterator<>() {
      private int slot = next(0);

      private int next(int from) {
        int i = from;
        while (i < used.length && !used[i]) {
          i++;
        }
        return i;
      }

      @Override
      public boolean hasNext() {
        return slot < used.length;
      }

      @Override
      public ObjectId next() {
        if (slot >= used.length) {
          throw new NoSuchElementException();
        }
        byte[] b = new byte[ObjectId.LENGTH];
        for (int k = 0; k < 4; k++) {
          LONGS.set(b, k * 8, keys[slot * 4 + k]);
        }
        slot = next(slot + 1);
        return ObjectId.of(b);
      }
    };
  }

  /** The slot holding {@code id} or the empty one where it would go; leaves its longs in {@link #tmp}. */
  private int find(ObjectId id) {
    id.copyTo(tmp, 0);
    long k0 = (long) LONGS.get(tmp, 0);
    long k1 = (long) LONGS.get(tmp, 8);
    long k2 = (long) LONGS.get(tmp, 16);
    long k3 = (long) LONGS.get(tmp, 24);
    int mask = used.length - 1;
    int slot = (int) (k0 ^ (k0 >>> 32)) & mask;
    while (used[slot]) {
      int b = slot * 4;
      if (keys[b] == k0 && keys[b + 1] == k1 && keys[b + 2] == k2 && keys[b + 3] == k3) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Stores the id last given to {@link #find} in {@code slot}. */
  private void put(int slot) {
    int b = slot * 4;
    keys[b] = (long) LONGS.get(tmp, 0);
    keys[b + 1] = (long) LONGS.get(tmp, 8);
    keys[b + 2] = (long) LONGS.get(tmp, 16);
    keys[b + 3] = (long) LONGS.get(tmp, 24);
    used[slot] = true;
  }

  private void grow() {
    long[] oldKeys = keys;
    boolean[] oldUsed = used;
    short[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    used = new boolean[oldUsed.length * 2];
    values = oldValues == null ? null : new short[used.length];
    int mask = used.length - 1;
    for (int i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) {
        long k0 = oldKeys[i * 4];
        int slot = (int) (k0 ^ (k0 >>> 32)) & mask;
        while (used[slot]) {
          slot = (slot + 1) & mask;
        }
        System.arraycopy(oldKeys, i * 4, keys, slot * 4, 4);
        used[slot] = true;
        if (values != null) {
          values[slot] = oldValues[i];
        }
      }
    }
  }
}
