package dev.cairn.backup.internal.chunker;

/**
 * Chunk size limits of a repository: no chunk is smaller than {@code min} (except the last of a
 * stream) or larger than {@code max}; chunks average about {@code avg}. Stored in the repository
 * config; changing them changes every boundary, so they are fixed at init.
 *
 * @param min minimum chunk size in bytes (at least 64)
 * @param avg target average chunk size in bytes, a power of two, {@code min < avg < max}
 * @param max maximum chunk size in bytes (at most 64 MiB)
 * @param normalization FastCDC normalization level: the mask has {@code log2(avg) + normalization}
 *     bits before {@code avg} and {@code log2(avg) - normalization} after (2 in repositories made before
 *     the level was recorded, chunker {@code fastcdc-gear-v1}; 1 for new ones, {@code fastcdc-gear-v2})
 */
public record ChunkerParams(int min, int avg, int max, int normalization) {
  /**
   * Normalization level of repositories whose config names no level (chunker {@code fastcdc-gear-v1}):
   * masks of {@code log2(avg) ± 2} bits.
   */
  public static final int LEGACY_NORMALIZATION = 2;
  /** Normalization level of new repositories: masks of {@code log2(avg) ± 1} bits. */
  public static final int DEFAULT_NORMALIZATION = 1;

  /** Limits with the default normalization level. */
  public ChunkerParams(int min, int avg, int max) {
    this(min, avg, max, DEFAULT_NORMALIZATION);
  }

  /** Default minimum: 512 KiB. */
  public static final int DEFAULT_MIN = 512 * 1024;
  /** Default average: 1 MiB. */
  public static final int DEFAULT_AVG = 1024 * 1024;
  /** Default maximum: 8 MiB. */
  public static final int DEFAULT_MAX = 8 * 1024 * 1024;

  /** Validates the limits. */
  public ChunkerParams {
    if (min < 64 || avg <= min || max <= avg || max > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("chunker sizes must satisfy 64 <= min < avg < max <= 64 MiB, got min="
          + min + " avg=" + avg + " max=" + max);
    }
    if (Integer.bitCount(avg) != 1) {
      throw new IllegalArgumentException("chunker avg must be a power of two, got " + avg);
    }
    if (normalization < 0 || normalization > 3) {
      throw new IllegalArgumentException("chunker normalization must be 0..3, got " + normalization);
    }
    if (Integer.numberOfTrailingZeros(avg) < 4) {
      throw new IllegalArgumentException("chunker avg must be at least 16, got " + avg);
    }
  }

  /** The defaults: 512 KiB / 1 MiB / 8 MiB. */
  public static ChunkerParams defaults() {
    return new ChunkerParams(DEFAULT_MIN, DEFAULT_AVG, DEFAULT_MAX);
  }
}
