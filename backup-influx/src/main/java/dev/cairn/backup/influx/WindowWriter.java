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
  private final StringBuilder line = new StringBuilder(4096);
  private final Canonical canonical = new Canonical();
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
    if (pending.size() > 1) {
      pending.sort(Comparator.comparing(Point::seriesKey));
    }
    line.setLength(0);
    for (Point p : pending) {
      line.append(p.seriesKey()).append(' ');
      canonical.reset();
      canonical.putString(p.seriesKey());
      canonical.putLong(pendingTime);
      canonical.putLong(p.fields().size());
      boolean first = true;
      for (Field f : p.fields()) {
        if (!first) {
          line.append(',');
        }
        first = false;
        LineProtocol.fieldKey(line, f.key());
        line.append('=');
        LineProtocol.value(line, f.type(), f.value());
        canonicalField(f);
      }
      line.append(' ').append(pendingTime).append('\n');
      digest.update(canonical.buf, 0, canonical.len);
      count++;
    }
    if (out != null) {
      out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    pending.clear();
  }

  private void canonicalField(Field f) {
    canonical.putString(f.key());
    canonical.put((byte) f.type().ordinal());
    switch (f.type()) {
      case FLOAT -> canonical.putLong(Double.doubleToLongBits(((Number) f.value()).doubleValue()));
      case INTEGER -> canonical.putLong(((Number) f.value()).longValue());
      case UNSIGNED -> canonical.putLong(f.value() instanceof BigInteger b ? b.longValue() : ((Number) f.value()).longValue());
      case STRING -> canonical.putString((String) f.value());
      case BOOLEAN -> canonical.put((byte) (((Boolean) f.value()) ? 1 : 0));
      default -> throw new IllegalArgumentException(f.type().name());
    }
  }

  /** A reusable buffer for the binary form of one point: length-prefixed UTF-8 strings, big-endian longs. */
  private static final class Canonical {
    byte[] buf = new byte[256];
    int len;

    void reset() {
      len = 0;
    }

    void put(byte b) {
      ensure(1);
      buf[len++] = b;
    }

    void putLong(long v) {
      ensure(8);
      for (int i = 7; i >= 0; i--) {
        buf[len + i] = (byte) v;
        v >>>= 8;
      }
      len += 8;
    }

    void putString(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      putLong(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
    }

    private void ensure(int n) {
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }
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
