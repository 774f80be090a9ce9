package dev.cairn.backup.internal.repository;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.pack.PackFormat;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/** Reads one pack completely and reports what is damaged (used by {@link EncryptedRepository#checkPack}). */
final class PackChecker {
  private PackChecker() {}

  /**
   * Checks {@code pack}; a pack storage cannot read is reported as damaged when {@code storageErrorIsDamage},
   * else the {@link StorageException} is thrown (for a repair, which must not take an I/O error for damage).
   */
  static PackCheck check(EncryptedRepository repo, ObjectId pack, boolean storageErrorIsDamage) {
    String name = ObjectStore.name(FileType.PACK, pack);
    List<BlobLocation> indexed = repo.packContents(pack);
    byte[] data;
    try {
      data = repo.objectStore().readAll(name);
    } catch (StorageException e) {
      if (!storageErrorIsDamage) {
        throw e;
      }
      return new PackCheck(pack, indexed, ids(indexed), List.of("pack " + pack + " cannot be read: " + e.getMessage()));
    }
    return check(repo, pack, indexed, repo.packSalt(pack), data);
  }

  /**
   * Checks {@code data}, the whole of pack {@code pack}, against {@code indexed} (the blobs an index
   * lists for it) and {@code indexSalt} (the salt it records, used if the header is damaged; may be null).
   */
  static PackCheck check(EncryptedRepository repo, ObjectId pack, List<BlobLocation> indexed, byte[] indexSalt,
      byte[] data) {
    List<String> problems = new ArrayList<>();
    if (!ObjectStore.sha256(data, 0, data.length).equals(pack)) {
      problems.add("pack " + pack + " is damaged: its content does not match its name (SHA-256)");
    }
    List<BlobLocation> blobs = indexed;
    // index entries the header does not confirm: reads go by the index, so each must read back where it says
    List<BlobLocation> disagreeing = new ArrayList<>();
    byte[] salt = null;
    try {
      salt = PackFormat.salt(data, 0, pack.hex());
      blobs = header(repo, pack, data, salt);
      java.util.Map<ObjectId, BlobLocation> inHeader = new java.util.HashMap<>();
      for (BlobLocation l : blobs) {
        inHeader.putIfAbsent(l.id(), l);
      }
      for (BlobLocation l : indexed) {
        BlobLocation h = inHeader.get(l.id());
        if (h == null) {
          problems.add("blob " + l.id() + " is listed in the index for pack " + pack + " but not in its header");
          disagreeing.add(l);
        } else if (!h.equals(l)) {
          problems.add("blob " + l.id() + " is at " + l.offset() + "+" + l.length() + " (" + l.type() + ", "
              + l.codec() + ") in the index for pack " + pack + " but at " + h.offset() + "+" + h.length() + " ("
              + h.type() + ", " + h.codec() + ") in its header");
          disagreeing.add(l);
        }
      }
    } catch (IntegrityException | ArrayIndexOutOfBoundsException e) {
      problems.add("header of pack " + pack + " is damaged: " + e.getMessage());
      if (indexSalt != null) {
        salt = indexSalt;
      }
    }
    List<ObjectId> damaged = new ArrayList<>();
    if (salt == null) {
      damaged.addAll(ids(blobs));
      return new PackCheck(pack, blobs, damaged, problems);
    }
    SecretKey key = PackFormat.packKey(repo.masterKeys(), salt);
    for (BlobLocation l : blobs) {
      if (l.offset() < PackFormat.BLOBS_START || l.offset() + l.length() > data.length) {
        damaged.add(l.id());
        problems.add("blob " + l.id() + " in pack " + pack + " lies outside the pack");
        continue;
      }
      try {
        repo.openBlob(l, key, data, (int) l.offset());
      } catch (BackupException e) {
        damaged.add(l.id());
        problems.add(e.getMessage());
      }
    }
    for (BlobLocation l : disagreeing) {
      if (damaged.contains(l.id())) {
        continue;
      }
      boolean readable = l.offset() >= PackFormat.BLOBS_START && l.offset() + l.length() <= data.length;
      if (readable) {
        try {
          repo.openBlob(l, key, data, (int) l.offset());
        } catch (BackupException e) {
          readable = false;
        }
      }
      if (!readable) {
        damaged.add(l.id());
        problems.add("blob " + l.id() + " cannot be read where the index places it in pack " + pack);
      }
    }
    return new PackCheck(pack, blobs, damaged, problems);
  }

  private static List<BlobLocation> header(EncryptedRepository repo, ObjectId pack, byte[] data, byte[] salt) {
    int h = PackFormat.headerLength(data, data.length, data.length, pack.hex());
    List<PackEntry> entries = PackFormat.readHeader(PackFormat.packKey(repo.masterKeys(), salt), data,
        data.length - 4 - h, h, pack.hex());
    List<BlobLocation> out = new ArrayList<>(entries.size());
    for (PackEntry e : entries) {
      out.add(repo.location(pack, e));
    }
    return out;
  }

  private static List<ObjectId> ids(List<BlobLocation> locs) {
    List<ObjectId> out = new ArrayList<>(locs.size());
    for (BlobLocation l : locs) {
      out.add(l.id());
    }
    return out;
  }
}
