package dev.cairn.backup.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the dump and the restore need to know about one base table: its stored columns (generated
 * columns are left out: the server computes them), which of them travel as hex, and the key that orders
 * and splits the dump. The source and the restorer read it with the same code, so both sides encode
 * rows identically.
 *
 * @param database database name
 * @param table table name
 * @param columns stored columns in ordinal order
 * @param key primary key (or first NOT NULL unique key) columns, empty if the table has none
 * @param integerKey true when the key is one integer column, so the dump can split it into ranges
 * @param estimatedRows the server's row estimate
 * @param versioned a MariaDB system-versioned table: dumped with its history ({@code FOR SYSTEM_TIME ALL}),
 *     its row start and end columns last in {@code columns}
 */
record TableDef(String database, String table, List<Column> columns, List<String> key, boolean integerKey,
    long estimatedRows, boolean versioned) {

  TableDef(String database, String table, List<Column> columns, List<String> key, boolean integerKey,
      long estimatedRows) {
    this(database, table, columns, key, integerKey, estimatedRows, false);
  }

  /** The table as the dump and its checks read it: with every version of its rows when it is versioned. */
  String source() {
    return Names.quote(database, table) + (versioned ? " FOR SYSTEM_TIME ALL" : "");
  }

  /**
   * A stored column; {@code hex} when its bytes are written as hex and loaded through {@code UNHEX};
   * {@code text} when the server must read the loaded value as text rather than as the binary bytes the
   * data file is loaded as (JSON, UUID, INET4, INET6 parse a binary string as their binary form).
   */
  record Column(String name, boolean hex, boolean text, boolean exactFloat, boolean enumIndex) {
    Column(String name, boolean hex, boolean text) {
      this(name, hex, text, false, false);
    }
  }

  /**
   * A generated column as MariaDB and MySQL report it in {@code EXTRA}; MySQL 8's
   * {@code DEFAULT_GENERATED} (a stored column with an expression default) is not one.
   */
  private static final java.util.regex.Pattern GENERATED =
      java.util.regex.Pattern.compile("(^|\\s)(VIRTUAL|STORED|PERSISTENT) GENERATED(\\s|$)");

  private static final Set<String> HEX_TYPES = Set.of("binary", "varbinary", "tinyblob", "blob",
      "mediumblob", "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint",
      "multilinestring", "multipolygon", "geometrycollection", "geomcollection");
  private static final Set<String> TEXT_TYPES = Set.of("json", "uuid", "inet4", "inet6");
  private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

  TableDef {
    columns = List.copyOf(columns);
    key = List.copyOf(key);
  }

  /** {@code db.table} as recorded in verification items and log lines. */
  String item() {
    return database + "." + table;
  }

  /** Reads the definition of {@code db.table}; an absent table has no columns. */
  static TableDef read(Connection c, String db, String table) throws SQLException {
    return read(c, db, table, false, true);
  }

  /**
   * Reads the definition of {@code db.table} as a dump of {@link RowChecksum#ALGORITHM_V1} saw it when
   * {@code v1}: every column whose {@code EXTRA} mentions GENERATED left out (also MySQL 8's
   * {@code DEFAULT_GENERATED}, which is a stored column), FLOAT read in its 6-digit text form. An older
   * snapshot's data files hold those columns, and its checksums were taken over those values.
   */
  static TableDef read(Connection c, String db, String table, boolean v1) throws SQLException {
    return read(c, db, table, v1, !v1);
  }

  /**
   * As {@link #read(Connection, String, String, boolean)}; {@code history} false reads a system-versioned
   * table as a dump without its history saw it (current rows, no row start/end columns): a snapshot
   * taken before history was dumped (its verification has no {@code history} attribute).
   */
  static TableDef read(Connection c, String db, String table, boolean v1, boolean history) throws SQLException {
    List<Column> columns = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> period = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COLUMN_NAME, DATA_TYPE, EXTRA, CHARACTER_SET_NAME, GENERATION_EXPRESSION FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String type = rs.getString(2).toLowerCase(Locale.ROOT);
          String extra = rs.getString(3) == null ? "" : rs.getString(3).toUpperCase(Locale.ROOT);
          String charset = rs.getString(4);
          types.put(name, type);
          String expression = rs.getString(5) == null ? "" : rs.getString(5).trim().toUpperCase(Locale.ROOT);
          if (expression.equals("ROW START") || expression.equals("ROW END")) {
            period.put(expression, name);   // a system-versioned table's own row start/end columns
            continue;
          }
          if (v1 ? extra.contains("GENERATED") : GENERATED.matcher(extra).find()) {
            continue;
          }
          columns.add(new Column(name, HEX_TYPES.contains(type) || "binary".equalsIgnoreCase(charset),
              TEXT_TYPES.contains(type), !v1 && "float".equals(type), !v1 && "enum".equals(type)));
        }
      }
    }
    List<String> key = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE, NULLABLE FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
            + " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        String current = null;
        List<String> cols = new ArrayList<>();
        boolean usable = true;
        while (rs.next()) {
          String index = rs.getString(1);
          if (!index.equals(current)) {
            if (current != null && usable && !cols.isEmpty()) {
              break;
            }
            current = index;
            cols.clear();
            usable = true;
          }
          cols.add(rs.getString(2));
          usable &= rs.getInt(3) == 0 && !"YES".equalsIgnoreCase(rs.getString(4));
        }
        if (current != null && usable) {
          key.addAll(cols);
        }
      }
    }
    boolean integerKey = key.size() == 1 && INTEGER_TYPES.contains(types.get(key.get(0)));
    long estimate = 0;
    boolean versioned = false;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT TABLE_ROWS, DATA_LENGTH, AVG_ROW_LENGTH, TABLE_TYPE FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, db);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long rows = rs.getLong(1);
          long avg = rs.getLong(3);
          estimate = Math.max(rows, avg > 0 ? rs.getLong(2) / avg : 0);
          versioned = !v1 && history && "SYSTEM VERSIONED".equals(rs.getString(4));
        }
      }
    }
    if (versioned && !columns.isEmpty()) {
      // every version of a row, told apart by when it held: its row start and end (implicit ones are the
      // hidden columns row_start and row_end), loaded back with system_versioning_insert_history
      columns.add(new Column(period.getOrDefault("ROW START", "row_start"), false, false));
      columns.add(new Column(period.getOrDefault("ROW END", "row_end"), false, false));
    }
    return new TableDef(db, table, columns, key, integerKey, estimate, versioned && !columns.isEmpty());
  }

  /** The stored column list, quoted and comma-separated, as selected by the dump. */
  String selectList() {
    StringBuilder sb = new StringBuilder();
    for (Column col : columns) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      // the server's text form of a FLOAT has 6 significant digits (123456792 reads 123457000): read it
      // as the DOUBLE it widens to exactly (+ 0E0 works on every MySQL and MariaDB), whose text form the
      // load parses back to the same FLOAT
      // an ENUM as its index: the invalid value (index 0, storable with strict mode off) reads as '' like
      // a '' member, and only the index tells them apart
      sb.append(col.exactFloat() ? "(" + Names.quote(col.name()) + " + 0E0)"
          : col.enumIndex() ? "(" + Names.quote(col.name()) + " + 0)" : Names.quote(col.name()));
    }
    return sb.toString();
  }

  /**
   * The {@code LOAD DATA} statement that loads one data file of this table; {@code file} is the
   * quoted file name and {@code target} the quoted table to load into.
   */
  String loadStatement(String file, String target) {
    StringBuilder cols = new StringBuilder();
    StringBuilder set = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      Column col = columns.get(i);
      if (i > 0) {
        cols.append(", ");
      }
      if (col.hex() || col.text() || col.enumIndex()) {
        String var = "@c" + (i + 1);
        cols.append(var);
        // a number assigned to an ENUM picks the member by index (0: the invalid value)
        set.append(set.length() == 0 ? " SET " : ", ").append(Names.quote(col.name()))
            .append(col.hex() ? " = UNHEX(" + var + ")" : col.enumIndex() ? " = CAST(" + var + " AS UNSIGNED)"
                : " = CONVERT(" + var + " USING utf8mb4)");
      } else {
        cols.append(Names.quote(col.name()));
      }
    }
    return "LOAD DATA LOCAL INFILE " + file + " INTO TABLE " + target
        + " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
        + " LINES TERMINATED BY '\\n' (" + cols + ")" + set;
  }
}
