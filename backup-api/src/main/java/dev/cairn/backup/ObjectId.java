package dev.cairn.backup;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte identifier: a chunk id (keyed HMAC-SHA-256 of the plaintext), or the SHA-256 of a stored
 * object (pack, index, snapshot). Immutable; compares by value; printed as 64 lower-case hex digits.
 */
public final class ObjectId implements Comparable<ObjectId> {
  /** Length of an id in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();
  private final byte[] bytes;
  private final int hash;

  private ObjectId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** Copies {@code bytes}, which must be exactly {@link #LENGTH} long. */
  public static ObjectId of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an object id has " + LENGTH + " bytes, got " + bytes.length);
    }
    return new ObjectId(bytes.clone());
  }

  /** Copies {@link #LENGTH} bytes of {@code bytes} starting at {@code offset}. */
  public static ObjectId of(byte[] bytes, int offset) {
    return new ObjectId(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
  }

  /** Parses 64 hex digits. */
  public static ObjectId parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("an object id is " + 2 * LENGTH + " hex digits, got '" + hex + "'");
    }
    try {
      return new ObjectId(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex object id: '" + hex + "'", e);
    }
  }

  /** Returns a copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the bytes into {@code dest} at {@code offset}. */
  public void copyTo(byte[] dest, int offset) {
    System.arraycopy(bytes, 0, dest, offset, LENGTH);
  }

  /** Returns the full hex form. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** Returns the first 8 hex digits, as shown to users (like restic's short ids). */
  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public int compareTo(ObjectId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return hex();
  }
}
