package dev.cairn.backup.influx;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Time windows aligned to the Unix epoch and their names in entry paths. */
final class Windows {
  static final long DAY_NS = 86_400_000_000_000L;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

  private Windows() {}

  static long floor(long t, long windowNs) {
    return Math.floorDiv(t, windowNs) * windowNs;
  }

  /** End of the window starting at {@code start}, saturating at the largest InfluxDB time. */
  static long end(long start, long windowNs) {
    return start > Influx1Export.MAX_TIME - windowNs ? Influx1Export.MAX_TIME : start + windowNs;
  }

  /** {@code 2026-11-26} for whole-day windows, {@code 2026-11-26T13-00-00Z} otherwise. */
  static String name(long start, long windowNs) {
    Instant i = Instant.ofEpochSecond(Math.floorDiv(start, 1_000_000_000L), Math.floorMod(start, 1_000_000_000L));
    return (windowNs % DAY_NS == 0 ? DAY : SECOND).format(i);
  }

  static long toNanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }
}
