package dev.cairn.backup.internal.compress;

/**
 * A compression codec with the stable one-byte id stored in the format (pack headers, index
 * entries, unpacked objects). Ids are never reused.
 */
public enum Codec {
  /** Stored as is. */
  NONE(0),
  /** Zstandard (zstd-jni), a single frame with the content size in the frame header. */
  ZSTD(1);

  private final int id;

  Codec(int id) {
    this.id = id;
  }

  /** The id stored in the format. */
  public int id() {
    return id;
  }

  /**
   * Returns the codec with format id {@code id}.
   *
   * @throws IllegalArgumentException for an id this version does not know
   */
  public static Codec fromId(int id) {
    for (Codec c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown compression codec id " + id
        + " (written by a newer Cairn? upgrade to read this repository)");
  }

  /**
   * Returns the codec named {@code name} ({@code none}, {@code zstd}), case-insensitive.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Codec fromName(String name) {
    for (Codec c : values()) {
      if (c.name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown compression codec '" + name + "': use none or zstd");
  }
}
