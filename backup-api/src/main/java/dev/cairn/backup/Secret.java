package dev.cairn.backup;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A password, passphrase or token. {@link #toString()} never shows the value, so a secret can travel
 * through logs, exceptions and records without leaking. Immutable and thread-safe.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value;
  }

  /** Wraps a copy of {@code value}. */
  public static Secret of(char[] value) {
    Objects.requireNonNull(value, "value");
    return new Secret(value.clone());
  }

  /** Wraps {@code value}. */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return new Secret(value.toCharArray());
  }

  /** Resolves a supplier once, for APIs that accept a {@code Supplier<Secret>}. */
  public static Secret from(Supplier<Secret> supplier) {
    return Objects.requireNonNull(supplier.get(), "supplier returned null");
  }

  /** Returns a copy of the characters; the caller should clear it after use. */
  public char[] chars() {
    return value.clone();
  }

  /** Returns the value as a string; use only to hand it to a library that needs one. */
  public String reveal() {
    return new String(value);
  }

  /** Returns the UTF-8 bytes of the value; the caller should clear them after use. */
  public byte[] utf8() {
    var buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  /** Returns true when the value is empty. */
  public boolean isEmpty() {
    return value.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
