package dev.cairn.backup.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.SplittableRandom;

/** Reproducible inputs for the benchmarks. */
final class BenchmarkData {
  /** One MiB: the unit of every benchmark operation. */
  static final int MIB = 1024 * 1024;

  private BenchmarkData() {}

  /** Incompressible bytes. */
  static byte[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /**
   * Text-like data (log lines with numbers and words), which zstd compresses about 3-5x, like
   * configuration files, SQL dumps and line protocol.
   */
  static byte[] text(int n, long seed) {
    Random r = new Random(seed);
    String[] words = {"INSERT", "INTO", "metrics", "host=web", "cpu", "value=", "ERROR", "request", "user_id",
        "2026-11-28", "status", "OK", "timeout", "backup", "restore", "latency_ms", "\n"};
    StringBuilder sb = new StringBuilder(n + 64);
    while (sb.length() < n) {
      sb.append(words[r.nextInt(words.length)]).append(' ');
      if (r.nextInt(4) == 0) {
        sb.append(r.nextInt(100_000)).append(' ');
      }
    }
    return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
  }

  /** Half text-like, half random, interleaved in 64 KiB blocks. */
  static byte[] mixed(int n, long seed) {
    byte[] t = text(n, seed);
    byte[] r = random(n, seed + 1);
    byte[] out = new byte[n];
    int block = 64 * 1024;
    for (int i = 0; i < n; i += block) {
      int len = Math.min(block, n - i);
      System.arraycopy((i / block) % 2 == 0 ? t : r, i, out, i, len);
    }
    return out;
  }
}
