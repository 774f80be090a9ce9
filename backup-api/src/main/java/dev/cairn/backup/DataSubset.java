package dev.cairn.backup;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which packs a verification reads, decrypts and re-hashes (the structure of the whole repository is
 * checked whatever the subset). Reading a large off-site repository in full is slow and, on S3,
 * costs egress; a subset spreads the read check over several runs, as restic's
 * {@code check --read-data-subset} does. Immutable.
 *
 * <ul>
 *   <li>{@link #none()}: no pack is read (the structural check only);
 *   <li>{@link #all()}: every pack;
 *   <li>{@link #group(int, int)} ({@code n/t}): group {@code n} of {@code t}, chosen by pack id, so that
 *       running {@code 1/t} to {@code t/t} in turn reads every pack once (packs written since are in
 *       whichever group their id falls into);
 *   <li>{@link #percent(double)} ({@code x%}): that share of the packs, picked at random on each run;
 *   <li>{@link #bytes(long)} ({@code SIZE}): random packs until at least that many bytes are chosen.
 * </ul>
 */
public final class DataSubset {
  private static final Pattern GROUP = Pattern.compile("(\\d+)/(\\d+)");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)%");
  /** The largest number of groups {@link #group(int, int)} accepts. */
  public static final int MAX_GROUPS = 65_536;

  private enum Kind { NONE, ALL, GROUP, PERCENT, BYTES }

  private static final DataSubset NONE = new DataSubset(Kind.NONE, 0, 0, 0, 0);
  private static final DataSubset ALL = new DataSubset(Kind.ALL, 0, 0, 0, 0);

  private final Kind kind;
  private final int group;
  private final int groups;
  private final double percent;
  private final long bytes;

  private DataSubset(Kind kind, int group, int groups, double percent, long bytes) {
    this.kind = kind;
    this.group = group;
    this.groups = groups;
    this.percent = percent;
    this.bytes = bytes;
  }

  /** No pack is read: the structural check only. */
  public static DataSubset none() {
    return NONE;
  }

  /** Every pack is read. */
  public static DataSubset all() {
    return ALL;
  }

  /**
   * Group {@code n} (1-based) of {@code t} groups of packs, by pack id: the same packs on every run
   * with the same {@code n/t}.
   *
   * @throws IllegalArgumentException unless {@code 1 <= n <= t <= }{@link #MAX_GROUPS}
   */
  public static DataSubset group(int n, int t) {
    if (t < 1 || t > MAX_GROUPS || n < 1 || n > t) {
      throw new IllegalArgumentException("data subset " + n + "/" + t + ": give n/t with 1 <= n <= t <= "
          + MAX_GROUPS + ", e.g. 1/4");
    }
    return t == 1 ? ALL : new DataSubset(Kind.GROUP, n, t, 0, 0);
  }

  /**
   * A random {@code percent} of the packs (rounded up to whole packs), picked anew on each run.
   *
   * @throws IllegalArgumentException unless {@code 0 < percent <= 100}
   */
  public static DataSubset percent(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException("data subset " + plain(percent) + "%: the share must be more than 0% and"
          + " at most 100%, e.g. 10%");
    }
    return percent == 100 ? ALL : new DataSubset(Kind.PERCENT, 0, 0, percent, 0);
  }

  /**
   * Random packs, picked anew on each run, until at least {@code bytes} of stored data are chosen (or
   * every pack is).
   *
   * @throws IllegalArgumentException unless {@code bytes > 0}
   */
  public static DataSubset bytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("data subset of " + bytes + " bytes: give a positive size, e.g. 500M");
    }
    return new DataSubset(Kind.BYTES, 0, 0, 0, bytes);
  }

  /**
   * Parses restic's syntax: {@code n/t} ({@link #group}), {@code x%} ({@link #percent}), or a size
   * such as {@code 500M}, {@code 2G}, {@code 1.5T} or a byte count ({@link #bytes}; K, M, G and T are
   * powers of 1024); also {@code all} and {@code none}.
   *
   * @throws IllegalArgumentException naming {@code spec} and the accepted forms if it is none of them
   */
  public static DataSubset parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.trim();
    if (s.equalsIgnoreCase("all")) {
      return ALL;
    }
    if (s.equalsIgnoreCase("none")) {
      return NONE;
    }
    Matcher m = GROUP.matcher(s);
    if (m.matches()) {
      return group(parseInt(m.group(1), spec), parseInt(m.group(2), spec));
    }
    m = PERCENT.matcher(s);
    if (m.matches()) {
      return percent(Double.parseDouble(m.group(1)));
    }
    Long size;
    try {
      size = dev.cairn.backup.internal.source.ByteSizes.parseOrNull(s);
    } catch (IllegalArgumentException tooLarge) {
      throw new IllegalArgumentException("data subset '" + spec + "' is too large");
    }
    if (size != null) {
      return bytes(size);
    }
    throw new IllegalArgumentException("data subset '" + spec + "' is not n/t (e.g. 1/4), a percentage (e.g. 10%)"
        + " or a size (e.g. 500M, 2G)");
  }

  private static int parseInt(String digits, String spec) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data subset '" + spec + "': " + digits + " is too large", e);
    }
  }

  /** Whether any pack is read. */
  public boolean readsData() {
    return kind != Kind.NONE;
  }

  /** Whether every pack is read. */
  public boolean readsAll() {
    return kind == Kind.ALL;
  }

  /**
   * The packs of {@code packs} this subset reads, in the order given.
   *
   * @param sizeOf the stored size of a pack (for {@link #bytes(long)})
   * @param random the source of randomness for {@link #percent} and {@link #bytes}
   */
  List<ObjectId> select(List<ObjectId> packs, ToLongFunction<ObjectId> sizeOf, Random random) {
    switch (kind) {
      case NONE:
        return List.of();
      case ALL:
        return List.copyOf(packs);
      case GROUP:
        return packs.stream().filter(p -> groupOf(p, groups) == group).toList();
      default:
        break;
    }
    List<ObjectId> shuffled = new ArrayList<>(packs);
    Collections.shuffle(shuffled, random);
    List<ObjectId> chosen;
    if (kind == Kind.PERCENT) {
      // in decimal, so that 1.1% of 3000 packs is 33, not the 34 binary floating point gives
      int count = BigDecimal.valueOf(packs.size()).multiply(BigDecimal.valueOf(percent))
          .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).intValueExact();
      chosen = shuffled.subList(0, Math.min(packs.size(), count));
    } else {
      chosen = new ArrayList<>();
      long total = 0;
      for (ObjectId p : shuffled) {
        if (total >= bytes) {
          break;
        }
        chosen.add(p);
        total += sizeOf.applyAsLong(p);
      }
    }
    Set<ObjectId> set = new HashSet<>(chosen);
    return packs.stream().filter(set::contains).toList();
  }

  /** Like {@link #select(List, ToLongFunction, Random)} with a {@link SecureRandom}. */
  List<ObjectId> select(List<ObjectId> packs, ToLongFunction<ObjectId> sizeOf) {
    return select(packs, sizeOf, new SecureRandom());
  }

  /** The 1-based group of {@code t} that {@code pack} is in: its first four bytes, unsigned, modulo t, plus one. */
  static int groupOf(ObjectId pack, int t) {
    byte[] b = pack.toBytes();
    long first = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    return (int) (first % t) + 1;
  }

  /** The subset in the syntax {@link #parse} reads, e.g. {@code 2/4}, {@code 10%}, {@code 500M}. */
  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case ALL -> "all";
      case GROUP -> group + "/" + groups;
      case PERCENT -> plain(percent) + "%";
      case BYTES -> bytesText(bytes);
    };
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static String bytesText(long n) {
    String[] units = {"", "K", "M", "G", "T"};
    int u = 0;
    long v = n;
    while (u < units.length - 1 && v % 1024 == 0 && v >= 1024) {
      v /= 1024;
      u++;
    }
    return v + units[u];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSubset d && d.kind == kind && d.group == group && d.groups == groups
        && Double.compare(d.percent, percent) == 0 && d.bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, group, groups, percent, bytes);
  }
}
