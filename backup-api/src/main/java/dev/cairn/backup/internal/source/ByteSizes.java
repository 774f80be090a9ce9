package dev.cairn.backup.internal.source;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as users write them: {@code 500M}, {@code 2G}, {@code 1.5GiB}, {@code 4096} (binary units: K
 * is 1024 bytes; a trailing {@code B} or {@code iB} is optional, case does not matter). Internal API.
 */
public final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  /**
   * The bytes {@code text} says (rounded up), or null if it is not a size.
   *
   * @throws IllegalArgumentException if it is a size too large for a long
   */
  public static Long parseOrNull(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      case "T" -> 40;
      default -> 0;
    };
    double value = Double.parseDouble(m.group(1)) * (1L << shift);
    if (value >= Long.MAX_VALUE) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
    return (long) Math.ceil(value);
  }

  /**
   * The bytes {@code text} says.
   *
   * @param what the setting, named in the message (null: only the text is named)
   * @throws IllegalArgumentException naming {@code what} and {@code text} if it is not a size
   */
  public static long parse(String text, String what) {
    Long v = parseOrNull(text);
    if (v == null) {
      throw new IllegalArgumentException((what == null ? "" : what + ": ") + "'" + text
          + "' is not a size (e.g. 100M, 2G, 4096)");
    }
    return v;
  }
}
