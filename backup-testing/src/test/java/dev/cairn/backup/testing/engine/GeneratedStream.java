package dev.cairn.backup.testing.engine;

import java.io.InputStream;

/**
 * A deterministic, fast stream of {@code size} bytes of mixed data: runs of pseudo-random bytes and
 * runs of text-like lines, so compression and chunking both have work to do. Same seed, same bytes.
 */
final class GeneratedStream extends InputStream {
  private final long size;
  private long pos;
  private long state;
  private final byte[] line = "2026-11-28T03:04:05Z host-17 INFO request served in 12 ms id=".getBytes();

  GeneratedStream(long size, long seed) {
    this.size = size;
    this.state = seed * 0x9E3779B97F4A7C15L + 1;
  }

  private long next() {
    state ^= state << 13;
    state ^= state >>> 7;
    state ^= state << 17;
    return state;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (pos >= size) {
      return -1;
    }
    int n = (int) Math.min(len, size - pos);
    int i = 0;
    while (i < n) {
      // 64 KiB regions alternate between random and text-like by position, so the stream is reproducible
      long region = (pos + i) >>> 16;
      int inRegion = (int) ((pos + i) & 0xffff);
      int run = Math.min(n - i, 0x10000 - inRegion);
      if ((region * 0x9E3779B97F4A7C15L >>> 63) == 0) {
        long s = region * 0xD1B54A32D192ED03L + inRegion / 8 + 7;
        for (int k = 0; k < run; k++) {
          if (((inRegion + k) & 7) == 0 || k == 0) {
            s = mix(region * 0xD1B54A32D192ED03L + ((inRegion + k) >>> 3) + 7);
          }
          b[off + i + k] = (byte) (s >>> (((inRegion + k) & 7) * 8));
        }
      } else {
        for (int k = 0; k < run; k++) {
          int p = inRegion + k;
          b[off + i + k] = p % 80 == 79 ? (byte) '\n' : line[p % line.length];
        }
      }
      i += run;
    }
    pos += n;
    return n;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
