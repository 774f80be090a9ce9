package dev.cairn.backup.mysql;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Streams rows of one table (or one key range of it) from the server and encodes each as one line of
 * the data file format that {@code LOAD DATA ... CHARACTER SET binary FIELDS TERMINATED BY '\t'
 * ESCAPED BY '\\'} reads: fields separated by tab, rows ended by newline, NULL as {@code \N}; text values
 * are the stored bytes (the column's own character set) with backslash, tab, newline, carriage return
 * and NUL written {@code \\ \t \n \r \0}; binary, bit and spatial values are written as upper-case hex. Rows stream with {@code fetchSize = Integer.MIN_VALUE}, so no table is
 * ever held in memory. Not thread-safe: one encoder per connection.
 */
final class RowEncoder {
  private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

  /** Receives each encoded line; the array is reused after the call returns. */
  interface LineSink {
    void line(byte[] buffer, int length) throws IOException;
  }

  private byte[] buf = new byte[8192];
  private int len;

  /**
   * Dumps the rows of {@code table} matching {@code where} (SQL, or {@code null} for all) in key order,
   * adding each to {@code checksum} and handing it to {@code sink}.
   */
  void dump(Connection c, TableDef table, String where, RowChecksum checksum, LineSink sink)
      throws SQLException, IOException {
    StringBuilder sql = new StringBuilder("SELECT ").append(table.selectList()).append(" FROM ")
        .append(table.source());
    if (where != null) {
      sql.append(" WHERE ").append(where);
    }
    if (!table.key().isEmpty()) {
      sql.append(" ORDER BY ");
      for (int i = 0; i < table.key().size(); i++) {
        sql.append(i > 0 ? ", " : "").append(Names.quote(table.key().get(i)));
      }
    }
    int n = table.columns().size();
    boolean[] hex = new boolean[n];
    for (int i = 0; i < n; i++) {
      hex[i] = table.columns().get(i).hex();
    }
    try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      // values travel as the bytes the server stores, in each column's own character set: no conversion
      // on the server, and LOAD DATA ... CHARACTER SET binary puts the same bytes back
      st.execute("SET SESSION character_set_results = binary");
      st.setFetchSize(Integer.MIN_VALUE);
      try (ResultSet rs = st.executeQuery(sql.toString())) {
        while (rs.next()) {
          len = 0;
          for (int i = 0; i < n; i++) {
            putValue(i, rs.getBytes(i + 1), hex[i]);
          }
          put((byte) '\n');
          checksum.add(buf, len);
          sink.line(buf, len);
        }
      }
      st.execute("SET SESSION character_set_results = utf8mb4");
    }
  }

  /** Encodes one row as a line; for tests of the format. */
  byte[] encode(byte[][] values, boolean[] hex) {
    len = 0;
    for (int i = 0; i < values.length; i++) {
      putValue(i, values[i], hex[i]);
    }
    put((byte) '\n');
    return Arrays.copyOf(buf, len);
  }

  private void putValue(int index, byte[] v, boolean hex) {
    if (index > 0) {
      put((byte) '\t');
    }
    if (v == null) {
      put((byte) '\\');
      put((byte) 'N');
    } else if (hex) {
      putHex(v);
    } else {
      putEscaped(v);
    }
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void putHex(byte[] v) {
    ensure(v.length * 2);
    byte[] b = buf;
    int p = len;
    for (byte x : v) {
      b[p++] = HEX[(x >> 4) & 0xf];
      b[p++] = HEX[x & 0xf];
    }
    len = p;
  }

  private void putEscaped(byte[] v) {
    int first = 0;
    while (first < v.length) {
      byte x = v[first];
      if (x == '\\' || x == '\t' || x == '\n' || x == '\r' || x == 0) {
        break;
      }
      first++;
    }
    ensure(first == v.length ? v.length : v.length * 2);
    System.arraycopy(v, 0, buf, len, first);
    len += first;
    if (first == v.length) {
      return;
    }
    byte[] b = buf;
    int p = len;
    for (int i = first; i < v.length; i++) {
      byte x = v[i];
      switch (x) {
        case '\\' -> { b[p++] = '\\'; b[p++] = '\\'; }
        case '\t' -> { b[p++] = '\\'; b[p++] = 't'; }
        case '\n' -> { b[p++] = '\\'; b[p++] = 'n'; }
        case '\r' -> { b[p++] = '\\'; b[p++] = 'r'; }
        case 0 -> { b[p++] = '\\'; b[p++] = '0'; }
        default -> b[p++] = x;
      }
    }
    len = p;
  }
}
