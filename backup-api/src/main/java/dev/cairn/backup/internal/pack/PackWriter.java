package dev.cairn.backup.internal.pack;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.crypto.Aead;
import dev.cairn.backup.internal.crypto.MasterKeys;
import dev.cairn.backup.internal.repository.BlobType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Builds one pack in a reusable buffer: blobs are compressed into a scratch buffer and encrypted
 * straight into the pack buffer (no other copy). Not thread-safe: one writer per worker.
 */
public final class PackWriter {
  private final MasterKeys keys;
  private final SecureRandom random;
  private final int scratchSize;
  private byte[] scratch; // allocated on first use (read-only sessions never pay for it), grown as needed
  private byte[] buf;
  private int pos;
  private byte[] salt;
  private SecretKey key;
  private final List<PackEntry> entries = new ArrayList<>();
  private long plainBytes;
  private int staged = -1; // compressed length in scratch, or -1: stored raw

  /**
   * Creates a writer.
   *
   * @param scratchSize compression scratch space: larger blobs are stored raw unless they compress
   *     to less than this
   */
  public PackWriter(MasterKeys keys, SecureRandom random, int scratchSize) {
    this.keys = keys;
    this.random = random;
    this.scratchSize = scratchSize;
  }

  /** True when a pack is open (has a buffer). */
  public boolean isOpen() {
    return buf != null;
  }

  /** Starts a new pack in {@code buffer} (grown if needed). */
  public void start(byte[] buffer) {
    buf = buffer;
    salt = new byte[PackFormat.SALT_LENGTH];
    random.nextBytes(salt);
    key = PackFormat.packKey(keys, salt);
    buf[0] = (byte) PackFormat.VERSION;
    System.arraycopy(salt, 0, buf, 1, salt.length);
    pos = PackFormat.BLOBS_START;
    entries.clear();
    plainBytes = 0;
  }

  /** Bytes written so far (blobs, without the header). */
  public int size() {
    return pos;
  }

  /** Number of blobs. */
  public int count() {
    return entries.size();
  }

  /** Plaintext bytes of the blobs. */
  public long plainBytes() {
    return plainBytes;
  }

  /**
   * Compresses (if it shrinks) and encrypts a blob into the pack.
   *
   * @return the entry written
   */
  public PackEntry add(BlobType type, ObjectId id, byte[] src, int off, int len, Compressor compressor) {
    stage(src, off, len, compressor);
    return commit(type, id, src, off, len, compressor);
  }

  /**
   * First half of {@link #add}: compresses the blob into the writer's scratch space (the pack need
   * not be open) and returns the bytes it will take in the pack, so the caller can close a pack that
   * it would overflow before calling {@link #commit} with the same blob.
   */
  public int stage(byte[] src, int off, int len, Compressor compressor) {
    // a blob is compressed only if it shrinks, so it needs at most its own length: sized by the blobs
    // met (many small files, or a writer of trees, never hold a largest chunk's worth)
    int needed = Math.min(scratchSize, len);
    if (scratch == null || scratch.length < needed) {
      int grown = scratch == null ? 64 << 10 : (int) Math.min(scratchSize, 2L * scratch.length);
      scratch = new byte[Math.min(scratchSize, Math.max(needed, grown))];
    }
    staged = compressor.compress(src, off, len, scratch, 0, scratch.length);
    return (staged >= 0 ? staged : len) + Aead.TAG_LENGTH;
  }

  /** Second half of {@link #add}: encrypts the blob staged by {@link #stage} into the open pack. */
  public PackEntry commit(BlobType type, ObjectId id, byte[] src, int off, int len, Compressor compressor) {
    int clen = staged;
    ensure(pos + (clen >= 0 ? clen : len) + Aead.TAG_LENGTH);
    byte[] nonce = PackFormat.blobNonce(pos);
    byte[] aad = PackFormat.blobAad(type, id);
    int stored;
    Codec codec;
    if (clen >= 0) {
      codec = compressor.compression().codec();
      stored = Aead.encrypt(key, nonce, aad, scratch, 0, clen, buf, pos);
    } else {
      codec = Codec.NONE;
      stored = Aead.encrypt(key, nonce, aad, src, off, len, buf, pos);
    }
    PackEntry e = new PackEntry(type, codec, id, pos, stored, len);
    entries.add(e);
    pos += stored;
    plainBytes += len;
    return e;
  }

  /** Bytes the open pack's buffer still has room for, keeping {@code reserve} for the header. */
  public int room(int reserve) {
    return buf.length - pos - reserve;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length + buf.length / 2));
    }
  }

  /**
   * Drops the open pack, if any, without writing it: its blobs are not stored.
   *
   * @return the pack's buffer, or null if no pack was open
   */
  public byte[] discard() {
    byte[] b = buf;
    buf = null;
    key = null;
    entries.clear();
    pos = 0;
    plainBytes = 0;
    return b;
  }

  /**
   * Appends the header and trailer and closes the pack. The writer holds no buffer afterwards.
   *
   * @return the finished pack
   */
  public FinishedPack finish() {
    ensure(pos + PackFormat.headerSize(entries.size()));
    int h = PackFormat.writeHeader(key, entries, buf, pos);
    pos += h;
    buf[pos++] = (byte) (h >>> 24);
    buf[pos++] = (byte) (h >>> 16);
    buf[pos++] = (byte) (h >>> 8);
    buf[pos++] = (byte) h;
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(buf, 0, pos);
    FinishedPack p = new FinishedPack(ObjectId.of(sha.digest()), salt, buf, pos, List.copyOf(entries), plainBytes);
    buf = null;
    key = null;
    entries.clear();
    return p;
  }

  /**
   * A closed pack ready for upload.
   *
   * @param id SHA-256 of the pack's bytes
   * @param salt the pack's key salt
   * @param buffer holds the pack in {@code [0, length)}; return it to the pool after upload
   * @param length pack size in bytes
   * @param entries the blobs
   * @param plainBytes plaintext bytes of the blobs
   */
  public record FinishedPack(ObjectId id, byte[] salt, byte[] buffer, int length, List<PackEntry> entries,
      long plainBytes) {}
}
