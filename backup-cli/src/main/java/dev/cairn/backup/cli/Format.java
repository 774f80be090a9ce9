package dev.cairn.backup.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Human-readable sizes, rates, durations and times for text output. */
final class Format {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Format() {}

  /** {@code 1536} → {@code "1.500 KiB"}; bytes below 1 KiB stay exact. */
  static String bytes(long bytes) {
    return bytes < 1024 ? bytes + " B" : scaled(bytes, "%.3f %s", "");
  }

  /** Bytes per second as e.g. {@code "85.2 MiB/s"}. */
  static String rate(double bytesPerSecond) {
    return bytesPerSecond < 1024
        ? String.format(Locale.ROOT, "%.0f B/s", bytesPerSecond)
        : scaled(bytesPerSecond, "%.1f %s", "/s");
  }

  private static String scaled(double value, String format, String suffix) {
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, format, value, UNITS[unit]) + suffix;
  }

  /** {@code "0:07"}, {@code "12:03"}, {@code "1:02:03"}. */
  static String duration(Duration duration) {
    long s = Math.max(0, duration.toSeconds());
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** A local time such as {@code "2026-11-28 03:12:45"}. */
  static String time(Instant instant) {
    return TIME.format(instant);
  }
}
