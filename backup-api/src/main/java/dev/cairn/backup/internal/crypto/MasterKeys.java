package dev.cairn.backup.internal.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A repository's master keys, all random and independent, stored only wrapped in key files:
 * the encryption key (root of all AES-GCM subkeys), the id key (HMAC-SHA-256 chunk ids) and the
 * chunker seed (gear table). Immutable.
 */
public final class MasterKeys {
  private final byte[] encryption;
  private final byte[] id;
  private final byte[] chunkerSeed;

  /** Wraps copies of the three 32-byte keys. */
  public MasterKeys(byte[] encryption, byte[] id, byte[] chunkerSeed) {
    for (byte[] k : new byte[][] {encryption, id, chunkerSeed}) {
      if (k.length != 32) {
        throw new IllegalArgumentException("master keys have 32 bytes each, got " + k.length);
      }
    }
    this.encryption = encryption.clone();
    this.id = id.clone();
    this.chunkerSeed = chunkerSeed.clone();
  }

  /** Fresh random keys. */
  public static MasterKeys random(SecureRandom random) {
    byte[] e = new byte[32];
    byte[] i = new byte[32];
    byte[] c = new byte[32];
    random.nextBytes(e);
    random.nextBytes(i);
    random.nextBytes(c);
    return new MasterKeys(e, i, c);
  }

  /** A copy of the encryption key. */
  public byte[] encryption() {
    return encryption.clone();
  }

  /** A copy of the id (MAC) key. */
  public byte[] id() {
    return id.clone();
  }

  /** A copy of the chunker seed. */
  public byte[] chunkerSeed() {
    return chunkerSeed.clone();
  }

  /** The AES key derived for one pack or object: {@code HKDF-SHA-256(encryption, salt, info)}. */
  public SecretKey subkey(byte[] salt, String info) {
    byte[] k = Aead.hkdf(encryption, salt, info);
    SecretKey key = Aead.aesKey(k);
    Arrays.fill(k, (byte) 0);
    return key;
  }

  @Override
  public String toString() {
    return "MasterKeys[hidden]";
  }
}
