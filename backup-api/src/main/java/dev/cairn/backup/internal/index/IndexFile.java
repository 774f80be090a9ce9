package dev.cairn.backup.internal.index;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.pack.PackFormat;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The plaintext of an index file (docs/format.md, "Index files"): the packs it covers and their
 * blobs, and the index files it supersedes (for prune). Binary, because an index of a million
 * chunks would be ~150 MB as JSON and ~46 MB like this. Immutable.
 *
 * @param supersedes index files this one replaces
 * @param packs the packs listed
 */
public record IndexFile(List<ObjectId> supersedes, List<PackRecord> packs) {
  /** Index format version. */
  public static final int VERSION = 1;

  /** Copies the lists. */
  public IndexFile {
    supersedes = List.copyOf(supersedes);
    packs = List.copyOf(packs);
  }

  /**
   * One pack of an index file.
   *
   * @param id the pack id
   * @param salt the pack's key salt (so a blob can be read with one ranged read)
   * @param entries its blobs, as in its header
   */
  public record PackRecord(ObjectId id, byte[] salt, List<PackEntry> entries) {
    /** Copies the list. */
    public PackRecord {
      entries = List.copyOf(entries);
    }
  }

  /** Serializes. */
  public byte[] encode() {
    long size = 1 + 4 + 32L * supersedes.size() + 4;
    for (PackRecord p : packs) {
      size += 32 + 32 + 4 + (long) p.entries().size() * PackFormat.ENTRY_LENGTH;
    }
    if (size > Integer.MAX_VALUE - 64) {
      throw new IllegalStateException("index file too large: " + size + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size);
    byte[] tmp = new byte[ObjectId.LENGTH];
    b.put((byte) VERSION).putInt(supersedes.size());
    for (ObjectId id : supersedes) {
      id.copyTo(tmp, 0);
      b.put(tmp);
    }
    b.putInt(packs.size());
    for (PackRecord p : packs) {
      p.id().copyTo(tmp, 0);
      b.put(tmp).put(p.salt()).putInt(p.entries().size());
      for (PackEntry e : p.entries()) {
        PackFormat.putEntry(b, e, tmp);
      }
    }
    return b.array();
  }

  /**
   * Parses index file {@code name}.
   *
   * @throws IntegrityException naming it if malformed
   * @throws dev.cairn.backup.ConfigurationException if it is of an unknown (newer) version
   */
  public static IndexFile decode(byte[] data, String name) {
    ByteBuffer b = ByteBuffer.wrap(data);
    try {
      int version = b.get() & 0xff;
      if (version != VERSION) {
        // not damage: a newer Cairn wrote it (never skipped as damaged, which would invite a repair)
        throw new dev.cairn.backup.ConfigurationException("index file " + name + " has format version " + version
            + ", this Cairn reads version " + VERSION + ": upgrade Cairn");
      }
      byte[] tmp = new byte[ObjectId.LENGTH];
      int ns = b.getInt();
      checkCount(ns, 32, b, name);
      List<ObjectId> supersedes = new ArrayList<>(ns);
      for (int i = 0; i < ns; i++) {
        b.get(tmp);
        supersedes.add(ObjectId.of(tmp));
      }
      int np = b.getInt();
      checkCount(np, 68, b, name);
      List<PackRecord> packs = new ArrayList<>(np);
      for (int i = 0; i < np; i++) {
        b.get(tmp);
        ObjectId id = ObjectId.of(tmp);
        byte[] salt = new byte[PackFormat.SALT_LENGTH];
        b.get(salt);
        int n = b.getInt();
        checkCount(n, PackFormat.ENTRY_LENGTH, b, name);
        List<PackEntry> entries = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          entries.add(PackFormat.getEntry(b, tmp));
        }
        packs.add(new PackRecord(id, salt, entries));
      }
      if (b.hasRemaining()) {
        throw new IntegrityException("index file " + name + " has " + b.remaining() + " trailing bytes");
      }
      return new IndexFile(supersedes, packs);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IntegrityException("index file " + name + " is malformed: " + e, e);
    }
  }

  private static void checkCount(int n, int unit, ByteBuffer b, String name) {
    if (n < 0 || (long) n * unit > b.remaining()) {
      throw new IntegrityException("index file " + name + " is malformed: count " + n + " exceeds its size");
    }
  }
}
