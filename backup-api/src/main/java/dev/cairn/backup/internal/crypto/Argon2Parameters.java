package dev.cairn.backup.internal.crypto;

/**
 * Argon2id cost parameters for deriving a key-file key from a passphrase; stored in each key file.
 *
 * @param memoryKiB memory in KiB (default 65536 = 64 MiB; at least 8)
 * @param iterations passes over memory (default 3)
 * @param parallelism lanes (default 1)
 */
public record Argon2Parameters(int memoryKiB, int iterations, int parallelism) {
  /** The default for new key files: m=64 MiB, t=3, p=1. */
  public static final Argon2Parameters DEFAULT = new Argon2Parameters(64 * 1024, 3, 1);

  /** Validates the parameters. */
  public Argon2Parameters {
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("argon2 parallelism must be 1..64, got " + parallelism);
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("argon2 memory must be 8*p KiB..4 GiB, got " + memoryKiB + " KiB");
    }
    if (iterations < 1 || iterations > 100) {
      throw new IllegalArgumentException("argon2 iterations must be 1..100, got " + iterations);
    }
  }
}
