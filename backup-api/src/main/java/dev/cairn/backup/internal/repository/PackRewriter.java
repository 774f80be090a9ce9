package dev.cairn.backup.internal.repository;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.index.IndexFile;
import dev.cairn.backup.internal.pack.PackEntry;
import dev.cairn.backup.internal.pack.PackWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Prune's and pack repair's writes: copies of blobs the index already has into fresh packs (the normal write path
 * deduplicates them away), and one index file that supersedes others. Single-threaded; the caller
 * holds the exclusive lock. Lives in this package for access to pack salts and index entries.
 * Internal API, no compatibility promise.
 */
public final class PackRewriter implements AutoCloseable {
  private final EncryptedRepository repo;
  private final PackWriter writer;
  private final Compressor compressor;
  private final int packSize;
  private final int maxBlob;
  private final List<IndexFile.PackRecord> written = new ArrayList<>();

  /** A rewriter for {@code repo}, writing packs of the repository's pack size with its compression. */
  public PackRewriter(EncryptedRepository repo) {
    this.repo = repo;
    this.maxBlob = Math.max(repo.config().chunker().max(), 1 << 20);
    this.writer = new PackWriter(repo.masterKeys(), new SecureRandom(), maxBlob);
    this.compressor = new Compressor(repo.options().compression().orElse(repo.config().compression()));
    this.packSize = repo.options().packSize();
  }

  /**
   * Reads blob {@code id} where the index has it (checking it) and writes a copy into a new pack;
   * uploads each pack when full.
   *
   * @throws IntegrityException if the blob is not in the index or damaged
   */
  public void copy(ObjectId id) {
    BlobLocation loc = repo.lookup(id)
        .orElseThrow(() -> new IntegrityException("blob " + id.shortHex() + " to repack is not in the index"));
    add(loc.type(), id, repo.readBlob(id));
  }

  /**
   * Writes blob {@code id} of type {@code type}, whose content {@code plain} the caller has checked
   * against its id, into a new pack; uploads each pack when full.
   */
  public void add(BlobType type, ObjectId id, byte[] plain) {
    if (!writer.isOpen()) {
      writer.start(new byte[packSize + maxBlob + 64 * 1024]);
    }
    writer.add(type, id, plain, 0, plain.length, compressor);
    if (writer.size() >= packSize) {
      upload();
    }
  }

  /** Uploads the pack still open; returns the ids of every pack written by this rewriter. */
  public List<ObjectId> finish() {
    if (writer.isOpen() && writer.count() > 0) {
      upload();
    }
    return written.stream().map(IndexFile.PackRecord::id).toList();
  }

  private void upload() {
    PackWriter.FinishedPack p = writer.finish();
    repo.objectStore().put(ObjectStore.name(FileType.PACK, p.id()), p.buffer(), 0, p.length());
    written.add(new IndexFile.PackRecord(p.id(), p.salt(), p.entries()));
  }

  /**
   * Writes one index file naming {@code keptPacks} (with the blobs the loaded index lists for them)
   * and every pack this rewriter wrote, superseding {@code supersedes}. Atomic: the file appears
   * whole or not at all.
   *
   * @return the new index file's id
   */
  public ObjectId writeIndex(Collection<ObjectId> keptPacks, List<ObjectId> supersedes) {
    finish();
    List<IndexFile.PackRecord> records = new ArrayList<>();
    for (ObjectId pack : keptPacks) {
      byte[] salt = repo.packSalt(pack);
      if (salt == null) {
        throw new IntegrityException("pack " + pack.shortHex() + " to keep is not in the index");
      }
      List<PackEntry> entries = repo.packContents(pack).stream().map(EncryptedRepository::entry).toList();
      records.add(new IndexFile.PackRecord(pack, salt, entries));
    }
    records.addAll(written);
    return repo.saveUnpacked(FileType.INDEX, new IndexFile(supersedes, records).encode());
  }

  /**
   * Writes one index file naming {@code kept} (pack records as index files hold them, every entry
   * included) and every pack this rewriter wrote, superseding {@code supersedes}. Atomic.
   *
   * @return the new index file's id
   */
  public ObjectId writeIndexOf(List<IndexFile.PackRecord> kept, List<ObjectId> supersedes) {
    finish();
    List<IndexFile.PackRecord> records = new ArrayList<>(kept);
    records.addAll(written);
    return repo.saveUnpacked(FileType.INDEX, new IndexFile(supersedes, records).encode());
  }

  @Override
  public void close() {
    compressor.close();
  }
}
