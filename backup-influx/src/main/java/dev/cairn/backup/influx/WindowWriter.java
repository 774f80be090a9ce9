package dev.cairn.backup.influx;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns the points of one measurement window, arriving in time order, into line protocol sorted by
 * time and then series key, and computes their count and checksum. Only the points sharing one
 * timestamp are held in memory. The checksum is SHA-256 over a binary form of each point (series key,
 * time, and each field's key, type and exact value), so it does not depend on how numbers are
 * printed: backup and restore verification compute it with this same class.
 */
final class WindowWriter {
  /** Checksum algorithm name recorded with each verification. */
  static final String ALGORITHM = "sha256-points-v1";

  /** One field of a point: key, type and a Double, Long, BigInteger, String or Boolean value. */
  record Field(String key, FieldType type, Object value) {}

  private record Point(String seriesKey, List<Field> fields) {}

  private final OutputStream out;
  private final MessageDigest digest;
  private final List<Point> pending = new ArrayList<>();
  private final byte[] scratch = new byte[8];
  private long pendingTime = Long.MIN_VALUE;
  private boolean started;
  private long count;
  private String checksum;

  /** Writes to {@code out}, or only counts and checksums when {@code out} is null. */
  WindowWriter(OutputStream out) {
    this.out = out;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Adds a point. {@code seriesKey} is the escaped measurement and tags sorted by key, as in line
   * protocol; {@code fields} are sorted by key.
   */
  void add(long time, String seriesKey, List<Field> fields) throws IOException {
    if (fields.isEmpty()) {
      return;
    }
    if (started && time < pendingTime) {
      throw new IllegalStateException("points out of time order: " + time + " after " + pendingTime);
    }
    if (started && time != pendingTime) {
      flush();
    }
    started = true;
    pendingTime = time;
    pending.add(new Point(seriesKey, fields));
  }

  /** Writes the last points; call once at the end. */
  void finish() throws IOException {
    flush();
  }

  long count() {
    return count;
  }

  /** Checksum of all points, after {@link #finish()}; may be called again. */
  String checksum() {
    if (checksum == null) {
      checksum = HexFormat.of().formatHex(digest.digest());
    }
    return checksum;
  }

  private void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    pending.sort(Comparator.comparing(Point::seriesKey));
    StringBuilder sb = new StringBuilder(128);
    for (Point p : pending) {
      sb.setLength(0);
      sb.append(p.seriesKey()).append(' ');
      digestString(p.seriesKey());
      digestLong(pendingTime);
      digestLong(p.fields().size());
      boolean first = true;
      for (Field f : p.fields()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        LineProtocol.fieldKey(sb, f.key());
        sb.append('=');
        LineProtocol.value(sb, f.type(), f.value());
        digestField(f);
      }
      sb.append(' ').append(pendingTime).append('\n');
      if (out != null) {
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      }
      count++;
    }
    pending.clear();
  }

  private void digestField(Field f) {
    digestString(f.key());
    digest.update((byte) f.type().ordinal());
    switch (f.type()) {
      case FLOAT -> digestLong(Double.doubleToLongBits(((Number) f.value()).doubleValue()));
      case INTEGER -> digestLong(((Number) f.value()).longValue());
      case UNSIGNED -> digestLong(f.value() instanceof BigInteger b ? b.longValue() : ((Number) f.value()).longValue());
      case STRING -> digestString((String) f.value());
      case BOOLEAN -> digest.update((byte) (((Boolean) f.value()) ? 1 : 0));
      default -> throw new IllegalArgumentException(f.type().name());
    }
  }

  private void digestString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    digestLong(b.length);
    digest.update(b);
  }

  private void digestLong(long v) {
    for (int i = 7; i >= 0; i--) {
      scratch[i] = (byte) v;
      v >>>= 8;
    }
    digest.update(scratch, 0, 8);
  }

  /** The series key of a point: escaped measurement, then {@code ,key=value} for each non-empty tag in key order. */
  static String seriesKey(String measurement, List<String> sortedTagKeys, List<String> tagValues) {
    StringBuilder sb = new StringBuilder(64);
    LineProtocol.measurement(sb, measurement);
    for (int i = 0; i < sortedTagKeys.size(); i++) {
      String v = tagValues.get(i);
      if (v == null || v.isEmpty()) {
        continue;
      }
      sb.append(',');
      LineProtocol.tag(sb, sortedTagKeys.get(i));
      sb.append('=');
      LineProtocol.tag(sb, v);
    }
    return sb.toString();
  }
}
