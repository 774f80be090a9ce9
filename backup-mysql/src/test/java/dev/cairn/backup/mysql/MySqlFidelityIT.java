package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips that must not change data while the restore reports every table OK: each test compares
 * what the source server stores with what the restored server stores, beyond the dump's text form
 * (FLOAT exactly, a system-versioned table at all, views parsed under the sql_mode they were written in).
 */
class MySqlFidelityIT {
  private static EmbeddedMariaDb source;
  private static EmbeddedMariaDb target;
  private static SourceHarness backup;
  private static RestoreResult restored;

  @TempDir
  static Path dir;

  @BeforeAll
  static void backUpAndRestore() throws Exception {
    source = EmbeddedMariaDb.start();
    target = EmbeddedMariaDb.start();
    source.execute(
        "CREATE DATABASE h CHARACTER SET utf8mb4",
        "USE h",
        // FLOAT: the server's text form has 6 significant digits
        "CREATE TABLE fl (id INT PRIMARY KEY, f FLOAT)",
        "INSERT INTO fl VALUES (1, 123456789), (2, 1.2345678), (3, 16777217), (4, 0.1), (5, 3.14159265)",
        // system-versioned table: history rows
        "CREATE TABLE sv (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING",
        "INSERT INTO sv VALUES (1, 1)",
        "UPDATE sv SET v = 2 WHERE id = 1",
        "UPDATE sv SET v = 3 WHERE id = 1",
        // explicit row start/end columns, and a row deleted since (its history only)
        "CREATE TABLE ex (id INT PRIMARY KEY, v INT, s TIMESTAMP(6) GENERATED ALWAYS AS ROW START,"
            + " e TIMESTAMP(6) GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME(s, e)) WITH SYSTEM VERSIONING",
        "INSERT INTO ex (id, v) VALUES (1, 1), (2, 10)",
        "UPDATE ex SET v = 5 WHERE id = 1",
        "DELETE FROM ex WHERE id = 2",
        // ENUM with '' as a member, holding the invalid value (index 0), which also reads as ''
        "CREATE TABLE en (id INT PRIMARY KEY, e ENUM('', 'a') NOT NULL)",
        "SET SESSION sql_mode = ''",
        "INSERT INTO en VALUES (1, 'zz'), (2, ''), (3, 'a')",
        // wide character sets whose bytes hit the escaped bytes
        "CREATE TABLE wide (id INT PRIMARY KEY, u16 VARCHAR(10) CHARACTER SET utf16, u32 VARCHAR(10) CHARACTER SET utf32,"
            + " ucs VARCHAR(10) CHARACTER SET ucs2)",
        "INSERT INTO wide VALUES (1, _utf8mb4'Ċ\\\\\tĉ\\n', _utf8mb4'A\\nĊ', _utf8mb4'\\\\Ċ\\r'), (2, '', '', NULL)");
    // a database whose procedure was created with NO_BACKSLASH_ESCAPES, and a view with a backslash
    source.execute(
        "CREATE DATABASE vw",
        "USE vw",
        "CREATE TABLE t (id INT PRIMARY KEY)",
        "INSERT INTO t VALUES (1)",
        "SET SESSION sql_mode = ''",
        "CREATE VIEW v AS SELECT id, 'a\\\\b' AS s FROM t",
        "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'",
        "CREATE PROCEDURE p() SELECT 'c:\\dir' AS path",
        "SET SESSION sql_mode = ''");
    MySqlSource mysql = MySqlSource.builder().url(source.url()).user(EmbeddedMariaDb.USER)
        .password(Secret.of(EmbeddedMariaDb.PASSWORD)).threads(2).build();
    backup = SourceHarness.run(mysql, dir.resolve("backup"));
    restored = backup.restore(MySqlRestorer.builder().url(target.url()).user(EmbeddedMariaDb.USER)
        .password(Secret.of(EmbeddedMariaDb.PASSWORD)).threads(2).build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (target != null) {
      target.close();
    }
  }

  private static String status(String item) {
    return restored.results().stream().filter(r -> r.item().equals(item)).map(r -> r.item() + " " + r.status())
        .findFirst().orElse(item + " not verified");
  }

  @Test
  void floatValuesAreRestoredExactly() throws Exception {
    String sql = "SELECT id, HEX(CAST(f AS DOUBLE)), f * 1 FROM h.fl ORDER BY id";
    assertThat(query(target, sql)).as("restore says " + status("h.fl")).isEqualTo(query(source, sql));
  }

  @Test
  void systemVersionedTableIsBackedUpAtAll() throws Exception {
    assertThat(backup.verifications()).containsKey("h.sv");
    String sql = "SELECT id, v FROM h.sv ORDER BY id";
    assertThat(tables(target, "h")).contains("sv");
    assertThat(query(target, sql)).isEqualTo(query(source, sql));
  }

  @Test
  void systemVersionedHistoryIsRestored() throws Exception {
    String sql = "SELECT id, v, ROW_START, ROW_END FROM h.sv FOR SYSTEM_TIME ALL ORDER BY v";
    assertThat(query(source, sql)).hasSize(3);
    assertThat(query(target, sql)).as("restore says " + status("h.sv")).isEqualTo(query(source, sql));
    String explicit = "SELECT id, v, s, e FROM h.ex FOR SYSTEM_TIME ALL ORDER BY v";
    assertThat(query(source, explicit)).hasSize(3);
    assertThat(query(target, explicit)).as("restore says " + status("h.ex")).isEqualTo(query(source, explicit));
  }

  @Test
  void aSnapshotWithoutHistoryIsReadAsItWasDumped() throws Exception {
    assertThat(backup.verifications().get("h.sv").attributes()).containsEntry("history", "true");
    try (java.sql.Connection c = target.connect()) {
      // a snapshot taken before history was dumped (no 'history' attribute): current rows, no period columns
      TableDef old = TableDef.read(c, "h", "sv", false, false);
      assertThat(old.versioned()).isFalse();
      assertThat(old.columns()).extracting(TableDef.Column::name).containsExactly("id", "v");
      TableDef now = TableDef.read(c, "h", "sv", false, true);
      assertThat(now.columns()).extracting(TableDef.Column::name).containsExactly("id", "v", "row_start", "row_end");
    }
  }

  @Test
  void enumIndexesAreRestored() throws Exception {
    // row 1 holds the invalid value (index 0), which reads as '' like the '' member of row 2
    String sql = "SELECT id, e + 0, e FROM h.en ORDER BY id";
    assertThat(query(target, sql)).as("restore says " + status("h.en")).isEqualTo(query(source, sql));
  }

  @Test
  void wideCharsetsAreRestored() throws Exception {
    String sql = "SELECT id, HEX(u16), HEX(u32), HEX(ucs) FROM h.wide ORDER BY id";
    assertThat(query(target, sql)).as("restore says " + status("h.wide")).isEqualTo(query(source, sql));
  }

  @Test
  void viewsReturnTheSameRows() throws Exception {
    String sql = "SELECT id, HEX(s) FROM vw.v";
    assertThat(query(target, sql)).as("restore verified: " + restored.verified()).isEqualTo(query(source, sql));
  }

  @Test
  void everyTableReportedOk() {
    assertThat(restored.results()).allMatch(VerificationResult::ok);
  }

  static List<String> tables(EmbeddedMariaDb db, String schema) throws SQLException {
    return query(db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema + "'")
        .stream().map(s -> s.substring(0, s.length() - 1)).toList();
  }

  static List<String> query(EmbeddedMariaDb db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(rs.getString(i)).append('|');
        }
        out.add(sb.toString());
      }
    }
    return out;
  }
}
