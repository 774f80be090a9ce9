package dev.cairn.backup.mysql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.regex.Pattern;

/** Identifier quoting, SQL literals, glob patterns and the encoding of names in entry paths. */
final class Names {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Names() {}

  /** Quotes an identifier with backticks, doubling embedded backticks. */
  static String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  /** Quotes {@code db}.{@code table}. */
  static String quote(String db, String table) {
    return quote(db) + '.' + quote(table);
  }

  /** A single-quoted SQL string literal, safe whatever the server's sql_mode. */
  static String literal(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\'' -> sb.append("''");
        case '\\' -> sb.append("\\\\");
        case '\0' -> sb.append("\\0");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\u001a' -> sb.append("\\Z");
        default -> sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }

  /**
   * Encodes a database or table name as one entry-path segment: UTF-8 bytes of {@code %}, {@code /},
   * {@code \}, {@code @}, control characters and a leading {@code .} become {@code %XX}; everything else
   * (including non-ASCII letters) is kept, so ordinary names read as themselves.
   */
  static String encodeSegment(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty name");
    }
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean escape = c == '%' || c == '/' || c == '\\' || c == '@' || c < 0x20 || c == 0x7f
          || (i == 0 && c == '.');
      if (escape) {
        sb.append('%').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Inverse of {@link #encodeSegment}. */
  static String decodeSegment(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < segment.length(); ) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        out.write(Integer.parseInt(segment.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        int cp = segment.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Compiles a glob ({@code *} any run of characters, {@code ?} one character) to a regex. */
  static Pattern glob(String glob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        sb.append(".*");
      } else if (c == '?') {
        sb.append('.');
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(sb.toString(), Pattern.DOTALL);
  }

  /** True when {@code pattern} has glob characters. */
  static boolean isGlob(String pattern) {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
  }

  /** True when {@code name} matches any of the glob {@code patterns}. */
  static boolean matchesAny(Collection<String> patterns, String name) {
    for (String p : patterns) {
      if (glob(p).matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }
}
