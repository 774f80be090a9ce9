package dev.cairn.backup.influx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Line protocol text: escaping of names and values exactly as InfluxDB 1.x and 2.x parse them, and a
 * point splitter that respects newlines inside quoted string values.
 */
final class LineProtocol {
  private LineProtocol() {}

  /** Escapes a measurement name: comma and space. */
  static void measurement(StringBuilder sb, String name) {
    escape(sb, name, false, false);
  }

  /** Escapes a tag key or value: comma, equals sign and space. */
  static void tag(StringBuilder sb, String text) {
    escape(sb, text, true, false);
  }

  /** Escapes a field key: comma, equals sign, space and double quote. */
  static void fieldKey(StringBuilder sb, String key) {
    escape(sb, key, true, true);
  }

  private static void escape(StringBuilder sb, String s, boolean equals, boolean quote) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || (equals && c == '=') || (quote && c == '"')) {
        sb.append('\\');
      }
      sb.append(c);
    }
  }

  /** Appends a string field value in double quotes, escaping backslash and double quote. */
  static void stringValue(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  /**
   * Appends a float without exponent (the 1.x parser does not take every exponent form), in a form
   * that parses back to the same double.
   */
  static void floatValue(StringBuilder sb, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("InfluxDB cannot store the float " + d);
    }
    String s = Double.toString(d);
    if (s.indexOf('E') >= 0) {
      s = new BigDecimal(s).toPlainString();
    }
    sb.append(s);
  }

  /** Appends a field value of the given type; {@code value} is a Double, Long, BigInteger, String or Boolean. */
  static void value(StringBuilder sb, FieldType type, Object value) {
    switch (type) {
      case FLOAT -> floatValue(sb, ((Number) value).doubleValue());
      case INTEGER -> sb.append(((Number) value).longValue()).append('i');
      case UNSIGNED -> sb.append(unsigned(value)).append('u');
      case STRING -> stringValue(sb, (String) value);
      case BOOLEAN -> sb.append(((Boolean) value) ? "true" : "false");
      default -> throw new IllegalArgumentException("no value of type " + type);
    }
  }

  static String unsigned(Object value) {
    if (value instanceof BigInteger b) {
      return b.toString();
    }
    return Long.toUnsignedString(((Number) value).longValue());
  }

  /**
   * Reads line protocol text one point at a time. A point ends at a newline outside a quoted string
   * value; the quote state is only tracked in the field section, because measurement names and tags
   * may hold unescaped double quotes.
   */
  static final class PointReader {
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int len;

    PointReader(InputStream in) {
      this.in = in;
    }

    /** Appends the next point (without its newline) to {@code out}; returns false at the end. */
    boolean next(ByteArrayOutputStream out) throws IOException {
      int section = 0; // 0 key, 1 fields, 2 timestamp
      boolean quoted = false;
      boolean escaped = false;
      boolean any = false;
      while (true) {
        if (pos == len && !fill()) {
          return any;
        }
        int start = pos;
        while (pos < len) {
          byte c = buf[pos];
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '\n' && !quoted) {
            out.write(buf, start, pos - start);
            pos++;
            if (any || pos - 1 > start) {
              return true;
            }
            start = pos; // a blank line
            continue;
          } else if (c == '"' && section == 1) {
            quoted = !quoted;
          } else if (c == ' ' && !quoted && section < 2) {
            section++;
          }
          pos++;
        }
        if (pos > start) {
          any = true;
          out.write(buf, start, pos - start);
        }
      }
    }

    private boolean fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      pos = 0;
      len = Math.max(n, 0);
      return n > 0;
    }
  }
}
