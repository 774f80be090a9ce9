package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MySQL 8.0.13+ reports {@code EXTRA = 'DEFAULT_GENERATED'} in information_schema.COLUMNS for every column
 * with an expression default, e.g. {@code created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP} (and
 * {@code DEFAULT_GENERATED on update CURRENT_TIMESTAMP}). Such a column is stored data, not a generated
 * column: it must be dumped. No MySQL server can run here, so the information_schema rows MySQL 8 returns
 * for {@code CREATE TABLE t (id INT PRIMARY KEY, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
 * updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, g INT AS (id * 2))} are
 * served by a stub connection.
 */
class TableDefMySql8Test {

  @Test
  void expressionDefaultColumnsAreStoredColumnsOnMySql8() throws Exception {
    Connection c = stub(
        List.of(row("id", "int", "", null, ""), row("created_at", "timestamp", "DEFAULT_GENERATED", null, ""),
            row("updated_at", "timestamp", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", null, ""),
            row("g", "int", "VIRTUAL GENERATED", null, "(`id` + 1)")),
        List.<Object[]>of(row("PRIMARY", "id", 0, "")),
        List.<Object[]>of(row(3L, 16384L, 5461L, "BASE TABLE")));
    TableDef def = TableDef.read(c, "app", "t");
    assertThat(def.columns()).extracting(TableDef.Column::name).containsExactly("id", "created_at", "updated_at");
    // a snapshot of row checksums v1 was dumped without them: its data files load into the v1 columns
    TableDef v1 = TableDef.read(c, "app", "t", true);
    assertThat(v1.columns()).extracting(TableDef.Column::name).containsExactly("id");
  }

  private static Object[] row(Object... values) {
    return values;
  }

  private static Connection stub(List<Object[]> columns, List<Object[]> statistics, List<Object[]> tables) {
    return (Connection) Proxy.newProxyInstance(TableDefMySql8Test.class.getClassLoader(), new Class<?>[] {Connection.class},
        (p, m, a) -> {
          if (!m.getName().equals("prepareStatement")) {
            throw new UnsupportedOperationException(m.getName());
          }
          String sql = (String) a[0];
          List<Object[]> rows = sql.contains("COLUMNS") ? columns : sql.contains("STATISTICS") ? statistics : tables;
          return statement(rows);
        });
  }

  private static PreparedStatement statement(List<Object[]> rows) {
    return (PreparedStatement) Proxy.newProxyInstance(TableDefMySql8Test.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> switch (m.getName()) {
          case "setString", "close" -> null;
          case "executeQuery" -> results(rows);
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private static ResultSet results(List<Object[]> rows) {
    int[] at = {-1};
    return (ResultSet) Proxy.newProxyInstance(TableDefMySql8Test.class.getClassLoader(), new Class<?>[] {ResultSet.class},
        (p, m, a) -> switch (m.getName()) {
          case "next" -> ++at[0] < rows.size();
          case "close" -> null;
          case "getString" -> {
            Object v = rows.get(at[0])[(Integer) a[0] - 1];
            yield v == null ? null : v.toString();
          }
          case "getInt" -> ((Number) rows.get(at[0])[(Integer) a[0] - 1]).intValue();
          case "getLong" -> ((Number) rows.get(at[0])[(Integer) a[0] - 1]).longValue();
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }
}
