package dev.cairn.backup.internal.repository;

import com.github.luben.zstd.Zstd;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compression;
import dev.cairn.backup.internal.compress.Compressor;
import dev.cairn.backup.internal.crypto.Aead;
import dev.cairn.backup.internal.crypto.MasterKeys;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage access for the repository: names, checked reads, atomic writes, and the envelope of
 * unpacked objects ({@code version(1) || salt(32) || AES-GCM(codec(1) || payload)}, see
 * docs/format.md). Thread-safe.
 */
final class ObjectStore {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
  static final int ENVELOPE_VERSION = 1;
  static final String OBJECT_KEY_INFO = "cairn-v1 object";
  private static final byte[] ZERO_NONCE = new byte[Aead.NONCE_LENGTH];

  private final Storage storage;
  private final SecureRandom random;

  ObjectStore(Storage storage, SecureRandom random) {
    this.storage = storage;
    this.random = random;
  }

  Storage storage() {
    return storage;
  }

  static String name(FileType type, ObjectId id) {
    return switch (type) {
      case CONFIG -> "config";
      case PACK -> {
        String hex = id.hex();
        yield "data/" + hex.substring(0, 2) + "/" + hex;
      }
      default -> type.prefix() + id.hex();
    };
  }

  static ObjectId sha256(byte[] b, int off, int len) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(b, off, len);
      return ObjectId.of(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final int READ_SLICE = 256 * 1024;

  void put(String name, byte[] b, int off, int len) {
    try {
      storage.put(name, ByteBuffer.wrap(b, off, len));
    } catch (IOException e) {
      throw new StorageException("could not write " + name + " to " + storage.location() + ": " + e, false, e);
    }
  }

  /** Stores raw bytes under their SHA-256 name. */
  ObjectId putHashed(FileType type, byte[] b) {
    ObjectId id = sha256(b, 0, b.length);
    put(name(type, id), b, 0, b.length);
    return id;
  }

  boolean exists(String name) {
    try {
      return storage.stat(name).isPresent();
    } catch (IOException e) {
      throw new StorageException("could not stat " + name + " in " + storage.location() + ": " + e, false, e);
    }
  }

  long size(String name) {
    try {
      return storage.stat(name).orElseThrow(() -> new NoSuchFileException(name)).size();
    } catch (IOException e) {
      throw readFailure(name, e);
    }
  }

  byte[] readAll(String name) {
    try (InputStream in = storage.get(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw readFailure(name, e);
    }
  }

  byte[] readRange(String name, long offset, int length) {
    return readRange(name, offset, length, new byte[length]);
  }

  /**
   * Reads {@code length} bytes at {@code offset} into {@code into[0, length)} and returns it. Reads
   * in slices of 256 KiB: {@code InputStream.readNBytes(int)} would read 8 KiB at a time and copy
   * twice, and one huge read makes NIO cache a direct buffer of that size per thread.
   */
  byte[] readRange(String name, long offset, int length, byte[] into) {
    try (InputStream in = storage.get(name, offset, length)) {
      int n = 0;
      while (n < length) {
        int r = in.read(into, n, Math.min(READ_SLICE, length - n));
        if (r < 0) {
          break;
        }
        n += r;
      }
      if (n != length) {
        throw new IntegrityException(name + " is truncated: wanted " + length + " bytes at offset " + offset
            + ", got " + n);
      }
      return into;
    } catch (IOException e) {
      throw readFailure(name, e);
    }
  }

  private StorageException readFailure(String name, IOException e) {
    boolean missing = e instanceof NoSuchFileException;
    return new StorageException((missing ? "missing object " : "could not read ") + name + " in "
        + storage.location() + ": " + e.getMessage(), missing, e);
  }

  void delete(String name) {
    try {
      storage.delete(name);
    } catch (IOException e) {
      throw new StorageException("could not delete " + name + " in " + storage.location() + ": " + e, false, e);
    }
  }

  /** Lists ids of {@code type} objects (not CONFIG), skipping names that are not ids. */
  List<ObjectId> list(FileType type) {
    if (type == FileType.CONFIG) {
      throw new IllegalArgumentException("CONFIG is a single object, not a list");
    }
    List<ObjectId> out = new ArrayList<>();
    try {
      for (var o : storage.list(type.prefix())) {
        String n = o.name();
        String last = n.substring(n.lastIndexOf('/') + 1);
        try {
          out.add(ObjectId.parse(last));
        } catch (IllegalArgumentException e) {
          LOG.debug("ignoring foreign object {}", n);
        }
      }
    } catch (IOException e) {
      throw new StorageException("could not list " + type.prefix() + " in " + storage.location() + ": " + e, false, e);
    }
    out.sort(null);
    return out;
  }

  /** Encrypts {@code plaintext} into an envelope for {@code type}; compressed if that shrinks it. */
  byte[] seal(MasterKeys keys, FileType type, byte[] plaintext, Compression compression) {
    byte[] payload = new byte[1 + plaintext.length];
    int plen;
    try (Compressor c = new Compressor(compression)) {
      int n = c.compress(plaintext, 0, plaintext.length, payload, 1, plaintext.length);
      if (n >= 0) {
        payload[0] = (byte) compression.codec().id();
        plen = 1 + n;
      } else {
        payload[0] = (byte) Codec.NONE.id();
        System.arraycopy(plaintext, 0, payload, 1, plaintext.length);
        plen = 1 + plaintext.length;
      }
    }
    byte[] salt = new byte[32];
    random.nextBytes(salt);
    SecretKey key = keys.subkey(salt, OBJECT_KEY_INFO);
    byte[] out = new byte[1 + 32 + plen + Aead.TAG_LENGTH];
    out[0] = ENVELOPE_VERSION;
    System.arraycopy(salt, 0, out, 1, 32);
    Aead.encrypt(key, ZERO_NONCE, aad(type), payload, 0, plen, out, 33);
    return out;
  }

  /** Decrypts an envelope read from {@code name}. */
  byte[] open(MasterKeys keys, FileType type, byte[] stored, String name) {
    if (stored.length < 1 + 32 + 1 + Aead.TAG_LENGTH) {
      throw new IntegrityException(name + " is truncated (" + stored.length + " bytes)");
    }
    int version = stored[0] & 0xff;
    if (version != ENVELOPE_VERSION) {
      String msg = name + " has format version " + version + ", this Cairn reads version " + ENVELOPE_VERSION;
      if (type == FileType.CONFIG) {
        throw new ConfigurationException("the repository " + msg + ": upgrade Cairn to open it");
      }
      if (type == FileType.INDEX && version > ENVELOPE_VERSION) {
        // not damage: a newer Cairn wrote it (never skipped as damaged, which would invite 'repair index' to delete it)
        throw new ConfigurationException("index file " + msg + ": upgrade Cairn");
      }
      throw new IntegrityException(msg);
    }
    SecretKey key = keys.subkey(Arrays.copyOfRange(stored, 1, 33), OBJECT_KEY_INFO);
    byte[] payload = Aead.decrypt(key, ZERO_NONCE, aad(type), stored, 33, stored.length - 33, name);
    Codec codec;
    try {
      codec = Codec.fromId(payload[0] & 0xff);
    } catch (IllegalArgumentException e) {
      throw new IntegrityException(name + ": " + e.getMessage(), e);
    }
    if (codec == Codec.NONE) {
      return Arrays.copyOfRange(payload, 1, payload.length);
    }
    long ulen = Zstd.decompressedSize(payload, 1, payload.length - 1);
    if (ulen < 0 || ulen > Integer.MAX_VALUE - 16) {
      throw new IntegrityException(name + ": compressed payload has no valid content size");
    }
    byte[] plain = new byte[(int) ulen];
    Compressor.decompress(codec, payload, 1, payload.length - 1, plain, 0, plain.length, name);
    return plain;
  }

  private static byte[] aad(FileType type) {
    return ("cairn-v1 " + type.label()).getBytes(StandardCharsets.US_ASCII);
  }
}
