package dev.cairn.backup;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A password, passphrase or token. {@link #toString()} never shows the value, so a secret can travel
 * through logs, exceptions and records without leaking. Thread-safe; its value never changes once read
 * (a {@link #lazy} one reads it once, at first use).
 */
public final class Secret {
  private char[] value;
  private Supplier<Secret> source;

  private Secret(char[] value) {
    this.value = value;
  }

  private Secret(Supplier<Secret> source) {
    this.source = source;
  }

  /**
   * A secret read from {@code source} when first used, not now: a plan file that names an environment
   * variable or a file can be read and validated where that secret is not available; its error (the
   * variable not set) comes at first use.
   */
  public static Secret lazy(Supplier<Secret> source) {
    return new Secret(Objects.requireNonNull(source, "source"));
  }

  private synchronized char[] value() {
    if (value == null) {
      value = Objects.requireNonNull(source.get(), "secret source returned null").value().clone();
      source = null;
    }
    return value;
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
    return value().clone();
  }

  /** Returns the value as a string; use only to hand it to a library that needs one. */
  public String reveal() {
    return new String(value());
  }

  /** Returns the UTF-8 bytes of the value; the caller should clear them after use. */
  public byte[] utf8() {
    var buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value()));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  /** Returns true when the value is empty. */
  public boolean isEmpty() {
    return value().length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && Arrays.equals(value(), s.value());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value());
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
