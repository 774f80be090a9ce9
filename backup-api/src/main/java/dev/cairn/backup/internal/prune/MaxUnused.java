package dev.cairn.backup.internal.prune;

import java.util.Locale;
import java.util.Objects;

/**
 * How much unused data prune may leave in partly used packs instead of repacking them (restic's
 * {@code --max-unused}): a share of the repository after prune, an absolute size, or unlimited.
 *
 * @param percent share in percent (0 to 100), or -1 when {@code bytes} applies
 * @param bytes absolute limit in bytes, or -1 when {@code percent} applies; {@link Long#MAX_VALUE} = unlimited
 */
public record MaxUnused(double percent, long bytes) {
  /** The default, 10%: after prune at most a tenth of the stored data is unused. */
  public static final MaxUnused DEFAULT = percent(10);

  public MaxUnused {
    if ((percent < 0) == (bytes < 0)) {
      throw new IllegalArgumentException("exactly one of percent and bytes must be set");
    }
    if (percent > 100) {
      throw new IllegalArgumentException("max-unused must be at most 100%, got " + percent + "%");
    }
  }

  /** At most {@code p} percent of the data stored after prune may be unused. */
  public static MaxUnused percent(double p) {
    if (p < 0 || p > 100 || Double.isNaN(p)) {
      throw new IllegalArgumentException("max-unused must be between 0% and 100%, got " + p + "%");
    }
    return new MaxUnused(p, -1);
  }

  /** At most {@code n} bytes of unused data may remain. */
  public static MaxUnused bytes(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("max-unused must not be negative, got " + n);
    }
    return new MaxUnused(-1, n);
  }

  /** Never repack for unused data (only packs with nothing used are deleted). */
  public static MaxUnused unlimited() {
    return new MaxUnused(-1, Long.MAX_VALUE);
  }

  /**
   * Parses the CLI spelling: {@code 10%}, {@code 0}, {@code 200M} / {@code 5G} / {@code 512K} (binary
   * units) or {@code unlimited}.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  public static MaxUnused parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.equals("unlimited")) {
        return unlimited();
      }
      if (t.endsWith("%")) {
        return percent(Double.parseDouble(t.substring(0, t.length() - 1)));
      }
      long unit = 1;
      char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
      switch (last) {
        case 'k': unit = 1L << 10; break;
        case 'm': unit = 1L << 20; break;
        case 'g': unit = 1L << 30; break;
        case 't': unit = 1L << 40; break;
        default: break;
      }
      String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
      return bytes(Math.multiplyExact(Long.parseLong(digits), unit));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("max-unused '" + text + "' is not a size: use e.g. 10%, 0, 200M, 5G or unlimited", e);
    }
  }

  /** The unused bytes allowed when {@code used} bytes remain in use after prune. */
  public long limit(long used) {
    if (bytes >= 0) {
      return bytes;
    }
    if (percent >= 100) {
      return Long.MAX_VALUE;
    }
    // unused / (used + unused) <= p  <=>  unused <= used * p / (1 - p)
    return (long) Math.floor(used * percent / (100 - percent));
  }

  @Override
  public String toString() {
    if (bytes == Long.MAX_VALUE) {
      return "unlimited";
    }
    return bytes >= 0 ? bytes + " B" : (percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent)) + "%";
  }
}
