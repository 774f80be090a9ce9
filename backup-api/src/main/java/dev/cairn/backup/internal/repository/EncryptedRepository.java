package dev.cairn.backup.internal.repository;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.lock.LockInfo;
import dev.cairn.backup.spi.Storage;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The encrypted, deduplicated content store on one {@link Storage} (format: docs/format.md): key
 * files, the config, packs of compressed and encrypted blobs, index files, unpacked objects
 * (snapshots) and locks.
 *
 * <p>Writing: {@link #addBlob} hands a blob to a worker pool that compresses and encrypts it into an
 * open pack; full packs are uploaded asynchronously; adders block when too much is in flight, so
 * memory stays bounded. {@link #flush()} makes everything added durable: packs first, then an index
 * file listing them. Reading: every object is checked against its name (SHA-256) and every blob
 * against its id (HMAC-SHA-256) and authentication tag; failures raise
 * {@link dev.cairn.backup.IntegrityException} naming the pack and blob.
 *
 * <p>Thread-safe. The caller owns the {@link Storage}; {@link #close()} flushes nothing (call
 * {@link #flush()} first), stops the threads this repository started and is idempotent.
 */
public final class EncryptedRepository implements AutoCloseable {

  private EncryptedRepository() {}

  /**
   * Creates a new repository in {@code storage}: random master keys, a key file for
   * {@code passphrase}, and the config.
   *
   * @throws dev.cairn.backup.ConfigurationException if the storage already holds a repository
   * @throws dev.cairn.backup.StorageException if the storage fails
   */
  public static EncryptedRepository init(Storage storage, Secret passphrase, RepositoryOptions options) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Opens the repository in {@code storage} with one of its passphrases and loads the index.
   *
   * @throws dev.cairn.backup.RepositoryNotFoundException if the storage has no config
   * @throws dev.cairn.backup.WrongPassphraseException if no key file opens with {@code passphrase}
   * @throws dev.cairn.backup.ConfigurationException if the repository's format version is unknown
   */
  public static EncryptedRepository open(Storage storage, Secret passphrase, RepositoryOptions options) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** True if {@code storage} holds a repository config. */
  public static boolean exists(Storage storage) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The storage (owned by the caller). */
  public Storage storage() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The config read at open. */
  public RepositoryConfig config() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The options of this session. */
  public RepositoryOptions options() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** A new FastCDC chunker with this repository's sizes and secret gear table; not thread-safe. */
  public Chunker newChunker() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The id of a blob: HMAC-SHA-256 of {@code b[off, off+len)} under the repository's id key. Thread-safe. */
  public ObjectId chunkId(byte[] b, int off, int len) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** True if blob {@code id} is in the index or has been added in this session (possibly still in flight). */
  public boolean hasBlob(ObjectId id) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Adds a blob unless the repository already has it. Copies {@code b[off, off+len)} (the caller may
   * reuse its buffer on return), then compresses, encrypts and packs it on the worker pool; blocks
   * while too many bytes or packs are in flight. Errors of the background work surface from a later
   * call or from {@link #flush()}.
   *
   * @param id the blob's id, as computed by {@link #chunkId} over the same bytes (not rechecked)
   * @return true if the blob was new, false if it was already present (deduplicated)
   */
  public boolean addBlob(BlobType type, ObjectId id, byte[] b, int off, int len) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Makes everything added so far durable: closes and uploads open packs, waits for all uploads,
   * then writes an index file listing the new packs. After it returns, the blobs may be referenced
   * from a snapshot.
   *
   * @throws dev.cairn.backup.StorageException if an upload failed
   */
  public void flush() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Reads, decrypts, decompresses and checks one blob.
   *
   * @throws dev.cairn.backup.IntegrityException if the blob is not in the index, or damaged (naming
   *     the pack and blob)
   */
  public byte[] readBlob(ObjectId id) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Reads many blobs efficiently: grouped by pack, in pack order, with one ranged read per run of
   * neighbouring blobs; every blob checked. Duplicated ids are delivered once.
   *
   * @throws dev.cairn.backup.IntegrityException at the first blob missing from the index or damaged
   */
  public void readBlobs(Collection<ObjectId> ids, BlobSink sink) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Encrypts and stores an object outside packs (a snapshot), named by the SHA-256 of its stored
   * bytes. Atomic; returns after the object is durable.
   *
   * @param type {@link FileType#SNAPSHOT} (or {@link FileType#INDEX}/{@link FileType#LOCK} for tools)
   * @return the object's id
   */
  public ObjectId saveUnpacked(FileType type, byte[] plaintext) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Loads, checks and decrypts an unpacked object.
   *
   * @throws dev.cairn.backup.IntegrityException if it does not match its name or fails authentication
   * @throws dev.cairn.backup.StorageException if it cannot be read (for a missing object, a cause of
   *     {@link java.nio.file.NoSuchFileException}, {@code isPermanent()} true)
   */
  public byte[] loadUnpacked(FileType type, ObjectId id) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Lists the ids of the objects of {@code type} in storage (not {@link FileType#CONFIG}). */
  public List<ObjectId> list(FileType type) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Deletes an object of {@code type}; absent is fine. Key files: use {@link #removeKey}. */
  public void delete(FileType type, ObjectId id) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Takes a shared (backup) or exclusive (maintenance) lock, refreshed in the background until closed.
   *
   * @throws dev.cairn.backup.RepositoryLockedException naming the holder of a conflicting live lock
   */
  public Lock lock(boolean exclusive) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Lists the lock objects in the repository, stale ones marked. */
  public List<LockInfo> locks() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Removes stale locks; with {@code all}, every lock (for {@code unlock --remove-all}). Returns how many. */
  public int removeLocks(boolean all) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Lists the key files; the one this session opened with is marked current. */
  public List<KeyInfo> keys() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Adds a key file for {@code passphrase} (Argon2 costs from the options); returns its id. */
  public ObjectId addKey(Secret passphrase) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Removes key file {@code id}.
   *
   * @throws IllegalArgumentException if it is the only key file, or does not exist
   */
  public void removeKey(ObjectId id) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Replaces the key file this session opened with by one for {@code newPassphrase} (new file
   * written first, then the old one removed). Returns the new key id.
   */
  public ObjectId changePassphrase(Secret newPassphrase) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Where blob {@code id} is stored according to the index. */
  public Optional<BlobLocation> lookup(ObjectId id) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The packs the index knows, sorted. */
  public List<ObjectId> packs() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** The blobs the index lists for pack {@code pack}, in pack order (empty if unknown). */
  public List<BlobLocation> packContents(ObjectId pack) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Calls {@code action} for every blob in the index (no particular order). */
  public void forEachBlob(Consumer<BlobLocation> action) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Reads one pack completely and checks it: its hash against its name, its header, and every blob
   * (authentication, decompression, id). Never throws for damage: reports it.
   */
  public PackCheck checkPack(ObjectId pack) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Reads the header of pack {@code pack} (the blobs it holds, from the pack alone).
   *
   * @throws dev.cairn.backup.IntegrityException if the header is damaged
   */
  public List<BlobLocation> readPackHeader(ObjectId pack) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /**
   * Rebuilds the index from the pack headers in storage: writes a new index file listing every
   * readable pack, then deletes the old index files. Returns the ids of packs whose header was
   * unreadable (left out of the index). Needs an exclusive lock held by the caller.
   */
  public List<ObjectId> rebuildIndex() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Counters of the index and of this session. */
  public RepositoryStats stats() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Stops background threads (pending, unflushed blobs are dropped); idempotent. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
