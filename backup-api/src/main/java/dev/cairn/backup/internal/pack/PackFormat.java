package dev.cairn.backup.internal.pack;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.crypto.Aead;
import dev.cairn.backup.internal.crypto.MasterKeys;
import dev.cairn.backup.internal.repository.BlobType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * The pack file layout (docs/format.md, "Packs"):
 * {@code version(1) || salt(32) || blob_0 || … || blob_n-1 || header || u32be(header length)}.
 * Each blob and the header are AES-256-GCM under the pack key
 * {@code HKDF-SHA-256(encryption key, salt, "cairn-v1 pack")}; a blob's nonce is its offset in the
 * pack (big-endian, in the last 8 of 12 bytes), the header's nonce is twelve {@code 0xff} bytes.
 * Stateless and thread-safe.
 */
public final class PackFormat {
  /** Pack format version (first byte). */
  public static final int VERSION = 1;
  /** Salt length. */
  public static final int SALT_LENGTH = 32;
  /** Offset of the first blob. */
  public static final int BLOBS_START = 1 + SALT_LENGTH;
  /** Bytes of one header entry. */
  public static final int ENTRY_LENGTH = 1 + 1 + ObjectId.LENGTH + 4 + 4 + 4;
  /** HKDF info string of pack keys. */
  public static final String KEY_INFO = "cairn-v1 pack";
  private static final byte[] HEADER_NONCE = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  private static final byte[] HEADER_AAD = "cairn-v1 pack header".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private PackFormat() {}

  /** The pack key for {@code salt}. */
  public static SecretKey packKey(MasterKeys keys, byte[] salt) {
    return keys.subkey(salt, KEY_INFO);
  }

  /** The nonce of the blob at {@code offset}. */
  public static byte[] blobNonce(long offset) {
    return Aead.counterNonce(offset);
  }

  /** The associated data of a blob: {@code type(1) || id(32)}. */
  public static byte[] blobAad(BlobType type, ObjectId id) {
    byte[] aad = new byte[1 + ObjectId.LENGTH];
    aad[0] = (byte) type.id();
    id.copyTo(aad, 1);
    return aad;
  }

  /** Serializes and encrypts the header for {@code entries} into {@code out} at {@code outOff}; returns its length. */
  public static int writeHeader(SecretKey key, List<PackEntry> entries, byte[] out, int outOff) {
    byte[] plain = encodeHeader(entries);
    return Aead.encrypt(key, HEADER_NONCE, HEADER_AAD, plain, 0, plain.length, out, outOff);
  }

  /** Upper bound of the encrypted header size for {@code n} entries, including the length trailer. */
  public static int headerSize(int n) {
    return 1 + 4 + n * ENTRY_LENGTH + Aead.TAG_LENGTH + 4;
  }

  static byte[] encodeHeader(List<PackEntry> entries) {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + entries.size() * ENTRY_LENGTH);
    b.put((byte) VERSION).putInt(entries.size());
    byte[] id = new byte[ObjectId.LENGTH];
    for (PackEntry e : entries) {
      putEntry(b, e, id);
    }
    return b.array();
  }

  /** Writes one {@link #ENTRY_LENGTH}-byte entry ({@code tmp}: 32 bytes of scratch). */
  public static void putEntry(ByteBuffer b, PackEntry e, byte[] tmp) {
    b.put((byte) e.type().id()).put((byte) e.codec().id());
    e.id().copyTo(tmp, 0);
    b.put(tmp).putInt(e.offset()).putInt(e.length()).putInt(e.uncompressedLength());
  }

  /**
   * Reads one entry ({@code tmp}: 32 bytes of scratch).
   *
   * @throws IllegalArgumentException for an unknown type or codec
   */
  public static PackEntry getEntry(ByteBuffer b, byte[] tmp) {
    BlobType type = BlobType.fromId(b.get() & 0xff);
    Codec codec = Codec.fromId(b.get() & 0xff);
    b.get(tmp);
    return new PackEntry(type, codec, ObjectId.of(tmp), b.getInt(), b.getInt(), b.getInt());
  }

  /**
   * Decrypts and parses a pack header.
   *
   * @param header the encrypted header (without the length trailer)
   * @param packName for messages
   * @throws IntegrityException naming the pack if it fails authentication or is malformed
   */
  public static List<PackEntry> readHeader(SecretKey key, byte[] header, int off, int len, String packName) {
    byte[] plain = Aead.decrypt(key, HEADER_NONCE, HEADER_AAD, header, off, len, "header of pack " + packName);
    ByteBuffer b = ByteBuffer.wrap(plain);
    try {
      int version = b.get() & 0xff;
      if (version != VERSION) {
        throw new IntegrityException("pack " + packName + " has header version " + version + ", expected " + VERSION);
      }
      int n = b.getInt();
      if (n < 0 || (long) n * ENTRY_LENGTH != b.remaining()) {
        throw new IntegrityException("header of pack " + packName + " is malformed: " + n + " entries in "
            + b.remaining() + " bytes");
      }
      List<PackEntry> out = new ArrayList<>(n);
      byte[] id = new byte[ObjectId.LENGTH];
      for (int i = 0; i < n; i++) {
        out.add(getEntry(b, id));
      }
      return out;
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("header of pack " + packName + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts and decompresses one blob whose stored bytes are {@code src[off, off+entry.length)}.
   *
   * @return the plaintext ({@code entry.uncompressedLength} bytes)
   * @throws IntegrityException naming the blob and pack
   */
  public static byte[] openBlob(SecretKey key, PackEntry e, byte[] src, int off, String packName) {
    String what = "blob " + e.id() + " in pack " + packName;
    byte[] nonce = blobNonce(e.offset());
    byte[] aad = blobAad(e.type(), e.id());
    if (e.codec() == Codec.NONE) {
      byte[] plain = Aead.decrypt(key, nonce, aad, src, off, e.length(), what);
      if (plain.length != e.uncompressedLength()) {
        throw new IntegrityException(what + ": length " + plain.length + " differs from recorded "
            + e.uncompressedLength());
      }
      return plain;
    }
    byte[] compressed = Aead.decrypt(key, nonce, aad, src, off, e.length(), what);
    byte[] plain = new byte[e.uncompressedLength()];
    Compressor.decompress(e.codec(), compressed, 0, compressed.length, plain, 0, plain.length, what);
    return plain;
  }

  /**
   * Like {@link #openBlob(SecretKey, PackEntry, byte[], int, String)}, but decrypts a compressed blob
   * into {@code scratch} (at least {@code e.length()} bytes) instead of a new array.
   */
  public static byte[] openBlob(SecretKey key, PackEntry e, byte[] src, int off, String packName, byte[] scratch) {
    if (e.codec() == Codec.NONE || scratch.length < e.length()) {
      return openBlob(key, e, src, off, packName);
    }
    String what = "blob " + e.id() + " in pack " + packName;
    int clen = Aead.decrypt(key, blobNonce(e.offset()), blobAad(e.type(), e.id()), src, off, e.length(), scratch, 0,
        what);
    byte[] plain = new byte[e.uncompressedLength()];
    Compressor.decompress(e.codec(), scratch, 0, clen, plain, 0, plain.length, what);
    return plain;
  }

  /**
   * Reads and validates the header length stored in the 4 bytes ending at {@code end} (the end of
   * a pack of {@code packSize} bytes).
   *
   * @throws IntegrityException naming the pack if the pack is truncated or the length impossible
   */
  public static int headerLength(byte[] buf, int end, long packSize, String packName) {
    if (packSize < BLOBS_START + 4 + Aead.TAG_LENGTH) {
      throw new IntegrityException("pack " + packName + " is truncated (" + packSize + " bytes)");
    }
    int h = ((buf[end - 4] & 0xff) << 24) | ((buf[end - 3] & 0xff) << 16) | ((buf[end - 2] & 0xff) << 8)
        | (buf[end - 1] & 0xff);
    if (h < Aead.TAG_LENGTH || h > packSize - BLOBS_START - 4) {
      throw new IntegrityException("pack " + packName + " has an invalid header length " + h);
    }
    return h;
  }

  /** Checks the version byte and returns the salt of a pack whose first bytes are {@code start}. */
  public static byte[] salt(byte[] start, int off, String packName) {
    int version = start[off] & 0xff;
    if (version != VERSION) {
      throw new IntegrityException("pack " + packName + " has format version " + version + ", expected " + VERSION);
    }
    return Arrays.copyOfRange(start, off + 1, off + 1 + SALT_LENGTH);
  }
}
