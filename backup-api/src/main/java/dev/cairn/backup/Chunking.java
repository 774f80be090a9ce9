package dev.cairn.backup;

/**
 * Content-defined chunking (FastCDC) sizes, fixed when a repository is created: chunks are at least
 * {@code min}, on average about {@code average} and at most {@code max} bytes. Immutable.
 *
 * @param min smallest chunk, except for the last chunk of a stream (default 512 KiB)
 * @param average target average chunk size, a power of two (default 1 MiB)
 * @param max largest chunk (default 8 MiB)
 */
public record Chunking(int min, int average, int max) {
  /** Checks the values and copies the lists. */
  public Chunking {
    if (min < 64 || min >= average || average >= max || max > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("chunk sizes must satisfy 64 <= min < average < max <= 64 MiB, got "
          + min + "/" + average + "/" + max);
    }
    if (Integer.bitCount(average) != 1) {
      throw new IllegalArgumentException("average chunk size must be a power of two, got " + average);
    }
  }

  /** The defaults: 512 KiB / 1 MiB / 8 MiB. */
  public static Chunking defaults() {
    return new Chunking(512 * 1024, 1024 * 1024, 8 * 1024 * 1024);
  }

  /** Chunk sizes {@code min}/{@code average}/{@code max}. */
  public static Chunking of(int min, int average, int max) {
    return new Chunking(min, average, max);
  }
}
