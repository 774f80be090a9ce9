package dev.cairn.backup.internal.crypto;

import dev.cairn.backup.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM (JCA) with 96-bit nonces and 128-bit tags, plus HKDF-SHA-256 subkey derivation.
 *
 * <p>Encryption feeds {@link Cipher#update} in slices of at most 64 KiB: on Java 17 one
 * {@code doFinal} over megabytes runs at about 1/40 of the speed. Decryption uses one
 * {@code doFinal}, which is fast (the JDK buffers GCM decryption input anyway).
 *
 * <p>Static methods are thread-safe (one cached {@link Cipher} per thread).
 */
public final class Aead {
  /** Tag length in bytes. */
  public static final int TAG_LENGTH = 16;
  /** Nonce length in bytes. */
  public static final int NONCE_LENGTH = 12;
  /** Key length in bytes. */
  public static final int KEY_LENGTH = 32;

  private static final int SLICE = 64 * 1024;
  private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM unavailable in this JDK", e);
    }
  });
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
    }
  });

  /**
   * Whether this JVM has run {@link #warmUp()}. JIT state is per process, so this one flag is too; it
   * holds no data.
   */
  private static final AtomicBoolean WARMED = new AtomicBoolean();
  private static final int WARM_UP_ROUNDS = 20_000;
  private static final int WARM_UP_LENGTH = 256;

  private Aead() {}

  /**
   * Makes the JIT compile the AES-GCM and SHA-256 code paths with their CPU intrinsics before bulk
   * data arrives; the first call in a JVM costs about 0.15 CPU-seconds, later calls nothing.
   *
   * <p>Why: the JDK's GHASH, AES-CTR and SHA-256 have a Java fallback that runs at 20–100 MiB/s in the
   * interpreter and C1; only C2-compiled callers use the intrinsics (2–6 GiB/s). With megabyte-sized
   * chunks the call counts stay low, so C2 takes tens of seconds to step in (a restore of 550 MiB spent
   * 10 of its 17 seconds in the Java GHASH). Thousands of small operations through the same calls
   * ({@link #encrypt} in slices, {@link #decrypt} with one {@code doFinal}, HMAC-SHA-256) trigger the
   * compilation within a fraction of a second. The shapes must match: warming up with other calls
   * (one {@code doFinal} per encryption) compiled code that was deoptimized again by the real calls.
   */
  public static void warmUp() {
    if (!WARMED.compareAndSet(false, true)) {
      return;
    }
    SecretKey key = aesKey(new byte[KEY_LENGTH]);
    byte[] aad = new byte[33];
    byte[] plain = new byte[WARM_UP_LENGTH];
    byte[] sealed = new byte[WARM_UP_LENGTH + TAG_LENGTH];
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[KEY_LENGTH], "HmacSHA256"));
      for (int i = 0; i < WARM_UP_ROUNDS; i++) {
        byte[] nonce = counterNonce(i);
        int n = encrypt(key, nonce, aad, plain, 0, plain.length, sealed, 0);
        decrypt(key, nonce, aad, sealed, 0, n, plain, 0, "warm-up");
        mac.update(plain, 0, plain.length);
        mac.doFinal(sealed, 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
    }
  }

  /** Wraps 32 key bytes as an AES key. */
  public static SecretKey aesKey(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256 key must have 32 bytes, got " + key.length);
    }
    return new SecretKeySpec(key, "AES");
  }

  /**
   * HKDF-SHA-256 (RFC 5869) with a 32-byte output: {@code PRK = HMAC(salt, ikm)},
   * {@code OKM = HMAC(PRK, info || 0x01)}.
   */
  public static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
    try {
      Mac mac = HMAC.get();
      mac.init(new SecretKeySpec(salt, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 1);
      byte[] okm = mac.doFinal();
      Arrays.fill(prk, (byte) 0);
      return okm;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 12-byte nonce holding {@code counter} big-endian in its last 8 bytes. */
  public static byte[] counterNonce(long counter) {
    byte[] n = new byte[NONCE_LENGTH];
    for (int i = 0; i < 8; i++) {
      n[NONCE_LENGTH - 1 - i] = (byte) (counter >>> (8 * i));
    }
    return n;
  }

  /**
   * Encrypts {@code in[off, off+len)} into {@code out} at {@code outOff} (ciphertext then tag,
   * {@code len + 16} bytes). {@code in} and {@code out} must not overlap.
   *
   * @return the number of bytes written ({@code len + 16})
   */
  public static int encrypt(SecretKey key, byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out,
      int outOff) {
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      if (aad != null) {
        c.updateAAD(aad);
      }
      int o = outOff;
      for (int p = 0; p < len; p += SLICE) {
        o += c.update(in, off + p, Math.min(SLICE, len - p), out, o);
      }
      o += c.doFinal(out, o);
      return o - outOff;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Encrypts into a new array. */
  public static byte[] encrypt(SecretKey key, byte[] nonce, byte[] aad, byte[] in) {
    byte[] out = new byte[in.length + TAG_LENGTH];
    encrypt(key, nonce, aad, in, 0, in.length, out, 0);
    return out;
  }

  /**
   * Decrypts and authenticates {@code in[off, off+len)} (ciphertext then tag) into {@code out} at
   * {@code outOff}.
   *
   * @return the plaintext length ({@code len - 16})
   * @throws IntegrityException with {@code what} in its message if authentication fails
   */
  public static int decrypt(SecretKey key, byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out,
      int outOff, String what) {
    if (len < TAG_LENGTH) {
      throw new IntegrityException(what + ": truncated (" + len + " bytes, shorter than the 16-byte tag)");
    }
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      if (aad != null) {
        c.updateAAD(aad);
      }
      return c.doFinal(in, off, len, out, outOff);
    } catch (AEADBadTagException e) {
      throw new IntegrityException(what + ": authentication failed (the data is damaged or was tampered with)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed for " + what, e);
    }
  }

  /** Decrypts into a new array. */
  public static byte[] decrypt(SecretKey key, byte[] nonce, byte[] aad, byte[] in, int off, int len, String what) {
    byte[] out = new byte[Math.max(0, len - TAG_LENGTH)];
    decrypt(key, nonce, aad, in, off, len, out, 0, what);
    return out;
  }
}
