package dev.cairn.backup.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * restic's duration syntax for {@code --keep-within} and friends: numbers with {@code y} (years),
 * {@code m} (months), {@code w} (weeks), {@code d} (days) and {@code h} (hours), e.g. {@code 1y6m},
 * {@code 30d}, {@code 12h}; also ISO-8601 ({@code PT36H}). A month counts 30 days and a year 365, so
 * {@code 1m} is 30 days (restic counts calendar months; the difference is a day or two at the edge).
 */
final class RetentionDuration implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)([ymwdh])");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String t = value.strip().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;   // nothing, in any unit ('--safety-window 0')
    }
    if (t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(invalid(value));
      }
    }
    Matcher m = PART.matcher(t);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "y" -> Duration.ofDays(365 * n);
        case "m" -> Duration.ofDays(30 * n);
        case "w" -> Duration.ofDays(7 * n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    if (end == 0 || end != t.length()) {
      throw new IllegalArgumentException(invalid(value));
    }
    return d;
  }

  private static String invalid(String value) {
    return "'" + value + "' is not a duration such as 2d, 12h, 1y6m (y, m = months, w, d, h) or PT36H";
  }
}
