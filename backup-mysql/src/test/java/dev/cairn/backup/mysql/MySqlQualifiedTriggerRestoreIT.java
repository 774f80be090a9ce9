package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trigger created with database-qualified names ({@code CREATE TRIGGER prod.trg ... ON prod.t}, as a
 * migration run without a default database writes it): MariaDB's SHOW CREATE TRIGGER returns the text as
 * written, so the snapshot's triggers.sql names the original database.
 */
class MySqlQualifiedTriggerRestoreIT {
  private static EmbeddedMariaDb db;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private static MySqlRestorer.Builder restorer() {
    return MySqlRestorer.builder().url(db.url()).user(EmbeddedMariaDb.USER).password(Secret.of(EmbeddedMariaDb.PASSWORD));
  }

  private static MySqlSource.Builder source() {
    return MySqlSource.builder().url(db.url()).user(EmbeddedMariaDb.USER).password(Secret.of(EmbeddedMariaDb.PASSWORD));
  }

  private static long count(String sql) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long triggers(String schema) throws Exception {
    return count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + schema + "'");
  }

  @Test
  void renamedRestoreCreatesTheTriggerInTheCopyNotInTheOriginalDatabase() throws Exception {
    db.execute("CREATE DATABASE prod", "CREATE TABLE prod.t (id INT PRIMARY KEY, v INT)",
        "INSERT INTO prod.t VALUES (1, 10)",
        "CREATE TRIGGER prod.dbl BEFORE INSERT ON prod.t FOR EACH ROW SET NEW.v = NEW.v * 2");
    SourceHarness backup = SourceHarness.run(source().includeDatabases("prod").build(), dir.resolve("b"));
    // the server restored into has a 'prod' of its own without that trigger (another server, or the
    // trigger was dropped since the backup)
    db.execute("DROP TRIGGER prod.dbl");

    RestoreResult result = backup.restore(restorer().renameDatabase("prod", "prod_check").build());

    assertThat(result.verified()).isTrue();
    assertThat(triggers("prod")).as("the original database 'prod' must not be changed by a restore into prod_check")
        .isZero();
    assertThat(triggers("prod_check")).as("the copy has the snapshot's trigger").isEqualTo(1);
    db.execute("INSERT INTO prod.t VALUES (2, 5)");
    assertThat(count("SELECT v FROM prod.t WHERE id = 2")).as("production inserts are not rewritten").isEqualTo(5);
  }

  @Test
  void partialRestoreKeepsTheQualifiedTriggerOfAChosenTable() throws Exception {
    db.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, v INT)",
        "CREATE TABLE shop.other (id INT PRIMARY KEY)",
        "CREATE TRIGGER shop.dbl BEFORE INSERT ON shop.orders FOR EACH ROW SET NEW.v = NEW.v * 2",
        "CREATE TRIGGER shop.stamp BEFORE INSERT ON shop.other FOR EACH ROW SET NEW.id = NEW.id + 1000");
    SourceHarness backup = SourceHarness.run(source().includeDatabases("shop").build(), dir.resolve("b"));
    db.execute("DROP TRIGGER shop.dbl", "DROP TRIGGER shop.stamp");

    RestoreResult result = backup.restore(restorer().includeTables("shop.orders").renameDatabase("shop", "shop_part")
        .build());

    assertThat(result.verified()).isTrue();
    assertThat(triggers("shop")).as("the original database 'shop' must not be changed by a restore into shop_part")
        .isZero();
    assertThat(triggers("shop_part")).as("docs: with includeTables the chosen tables and their triggers are restored")
        .isEqualTo(1);
  }
}
