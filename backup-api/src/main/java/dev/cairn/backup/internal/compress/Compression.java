package dev.cairn.backup.internal.compress;

import java.util.Objects;

/**
 * A compression setting: a codec and its level (ignored by {@link Codec#NONE}).
 *
 * @param codec the codec
 * @param level the level; zstd accepts -7..22 (default 3)
 */
public record Compression(Codec codec, int level) {
  /** The default: zstd level 3. */
  public static final Compression DEFAULT = new Compression(Codec.ZSTD, 3);

  /** Validates the level. */
  public Compression {
    Objects.requireNonNull(codec, "codec");
    if (codec == Codec.ZSTD && (level < -7 || level > 22)) {
      throw new IllegalArgumentException("zstd level must be between -7 and 22, got " + level);
    }
  }

  /** zstd at {@code level}. */
  public static Compression zstd(int level) {
    return new Compression(Codec.ZSTD, level);
  }

  /** No compression. */
  public static Compression none() {
    return new Compression(Codec.NONE, 0);
  }
}
