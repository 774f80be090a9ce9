package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore drill restores beside production, on the same server: the snapshot's events must not run
 * there (an event that names its database writes to production), and two databases whose long names
 * share their beginning must not share a scratch database.
 */
class MySqlScratchEventsIT {
  @TempDir Path dir;

  @Test
  void drillCreatesEventsDisabledAndKeepsLongNamesApart() throws Exception {
    String longA = "inventory_of_the_warehouse_in_the_north_a";
    String longB = "inventory_of_the_warehouse_in_the_north_b";
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start()) {
      db.execute("CREATE DATABASE app", "CREATE TABLE app.log (at DATETIME(6))",
          // runs every second once the scheduler is on, and names the production database
          "CREATE EVENT app.tick ON SCHEDULE EVERY 1 SECOND ON COMPLETION PRESERVE ENABLE"
              + " COMMENT 'ENABLE me' DO INSERT INTO app.log VALUES (NOW(6))",
          "CREATE EVENT app.off ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM app.log",
          "CREATE DATABASE " + longA, "CREATE TABLE " + longA + ".t (id INT PRIMARY KEY)",
          "INSERT INTO " + longA + ".t VALUES (1)",
          "CREATE DATABASE " + longB, "CREATE TABLE " + longB + ".t (id INT PRIMARY KEY)",
          "INSERT INTO " + longB + ".t VALUES (1), (2)");
      MySqlSource mysql = MySqlSource.builder().url(db.url()).user(EmbeddedMariaDb.USER)
          .password(Secret.of(EmbeddedMariaDb.PASSWORD)).includeDatabases("app", longA, longB).build();
      SourceHarness backup = SourceHarness.run(mysql, dir.resolve("backup"));
      try (MySqlScratchRestorer scratch = MySqlScratchRestorer.on(db.url(), EmbeddedMariaDb.USER,
          Secret.of(EmbeddedMariaDb.PASSWORD))) {
        RestoreResult result = backup.restore(scratch.restorer());
        assertThat(result.results()).allMatch(VerificationResult::ok);
        assertThat(scratch.databases()).hasSize(3).doesNotHaveDuplicates().allMatch(n -> n.length() <= 64);
        String app = scratch.databases().stream().filter(n -> n.startsWith("app_")).findFirst().orElseThrow();
        assertThat(query(db, "SELECT EVENT_NAME, STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '"
            + app + "' ORDER BY EVENT_NAME")).containsExactly("off DISABLED", "tick DISABLED");
        assertThat(query(db, "SELECT EVENT_NAME, STATUS, EVENT_COMMENT FROM information_schema.EVENTS"
            + " WHERE EVENT_SCHEMA = 'app' ORDER BY EVENT_NAME"))
            .as("production's events are left as they are").containsExactly("off DISABLED ", "tick ENABLED ENABLE me");
        List<String> counts = new ArrayList<>();
        for (String name : scratch.databases()) {
          if (!name.startsWith("app_")) {
            counts.add(query(db, "SELECT COUNT(*) FROM `" + name + "`.t").get(0));
          }
        }
        assertThat(counts).as("each long-named database in a scratch database of its own")
            .containsExactlyInAnyOrder("1", "2");
      }
    }
  }

  private static List<String> query(EmbeddedMariaDb db, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(String.join(" ", row));
      }
    }
    return out;
  }
}
