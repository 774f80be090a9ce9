package dev.cairn.backup.influx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry path segments for database, retention policy, bucket and measurement names: {@code %},
 * {@code /}, control characters and a leading {@code .} are percent-encoded, so every name is one
 * valid segment and never collides with the {@code .database.json} metadata entry.
 */
final class Names {
  private Names() {}

  static String segment(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 8);
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '%' || b == '/' || b < 0x20 || b == 0x7f || (i == 0 && b == '.')) {
        out.write('%');
        out.write(Character.toUpperCase(Character.forDigit(b >> 4, 16)));
        out.write(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      } else {
        out.write(b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static String decode(String segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
    byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        out.write(Integer.parseInt(new String(bytes, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Quotes an InfluxQL identifier. */
  static String ident(String name) {
    return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  /** Quotes a Flux string literal. */
  static String fluxString(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("${", "\\${") + '"';
  }
}
