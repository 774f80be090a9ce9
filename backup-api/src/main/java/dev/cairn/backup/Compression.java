package dev.cairn.backup;

/**
 * How chunks are compressed before encryption. A chunk that does not shrink is stored raw whatever
 * the setting. Immutable.
 *
 * @param codec the codec's stable id as stored in the repository format: {@code zstd} or {@code none}
 * @param level the codec's level (zstd: 1–22, default 3; {@code 0} for {@code none})
 */
public record Compression(String codec, int level) {
  /** The default: zstd at level 3. */
  public static final int DEFAULT_ZSTD_LEVEL = 3;

  /** Checks the values and copies the lists. */
  public Compression {
    if (!codec.equals("zstd") && !codec.equals("none")) {
      throw new IllegalArgumentException("unknown compression codec '" + codec + "': use zstd or none");
    }
    if (codec.equals("zstd") && (level < 1 || level > 22)) {
      throw new IllegalArgumentException("zstd level must be within 1..22, got " + level);
    }
  }

  /** zstd at {@code level} (1–22). */
  public static Compression zstd(int level) {
    return new Compression("zstd", level);
  }

  /** zstd at the default level 3. */
  public static Compression zstd() {
    return zstd(DEFAULT_ZSTD_LEVEL);
  }

  /** No compression: chunks are only encrypted. */
  public static Compression none() {
    return new Compression("none", 0);
  }
}
