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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restored objects that must land where the restore says: qualified triggers in every form MariaDB keeps
 * (IF NOT EXISTS, ANSI quotes, non-ASCII names), and users restored over existing accounts exactly as the
 * snapshot has them (lock, password, roles).
 */
class MySqlRestoreObjectsIT {
  private static EmbeddedMariaDb db;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    db.execute("DROP USER IF EXISTS 'root'@'localhost'");
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

  private static List<String> rows(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static long triggers(String schema) throws Exception {
    return Long.parseLong(rows("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + schema + "'")
        .get(0));
  }

  private void renamedRestoreLeavesOriginalAlone(String src, String createTrigger, String sqlMode, String trg)
      throws Exception {
    db.execute("CREATE DATABASE " + src, "CREATE TABLE " + src + ".t (id INT PRIMARY KEY, v INT)",
        "SET SESSION sql_mode = '" + sqlMode + "'", createTrigger);
    System.out.println("SHOW CREATE TRIGGER: " + rows("SHOW CREATE TRIGGER " + src + "." + trg).size());
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW CREATE TRIGGER " + src + "." + trg)) {
      rs.next();
      System.out.println("HQ trigger text: " + rs.getString(3));
    }
    SourceHarness backup = SourceHarness.run(source().includeDatabases(src).build(), dir.resolve("b"));
    db.execute("DROP TRIGGER " + src + "." + trg);

    RestoreResult result = backup.restore(restorer().renameDatabase(src, src + "_copy").build());

    assertThat(result.verified()).isTrue();
    assertThat(triggers(src)).as("the original database must not get the trigger").isZero();
    assertThat(triggers(src + "_copy")).as("the copy has the trigger").isEqualTo(1);
  }

  @Test
  void ansiQuotesQualifiedTrigger() throws Exception {
    renamedRestoreLeavesOriginalAlone("ansi", "CREATE TRIGGER \"ansi\".\"trg\" BEFORE INSERT ON \"ansi\".\"t\" FOR EACH ROW"
        + " SET NEW.v = 1", "ANSI_QUOTES", "trg");
  }

  @Test
  void ifNotExistsQualifiedTrigger() throws Exception {
    renamedRestoreLeavesOriginalAlone("ine", "CREATE TRIGGER IF NOT EXISTS ine.trg BEFORE INSERT ON ine.t FOR EACH ROW"
        + " SET NEW.v = 1", "", "trg");
  }

  @Test
  void nonAsciiQualifiedTrigger() throws Exception {
    renamedRestoreLeavesOriginalAlone("uni", "CREATE TRIGGER uni.trgé BEFORE INSERT ON uni.t FOR EACH ROW"
        + " SET NEW.v = 1", "", "`trgé`");
  }

  @Test
  void lockedTargetAccountIsUnlockedLikeTheSnapshot() throws Exception {
    db.execute("CREATE DATABASE ulock", "CREATE TABLE ulock.t (id INT PRIMARY KEY)",
        "CREATE USER 'app'@'%' IDENTIFIED BY 'pw'", "GRANT SELECT ON ulock.* TO 'app'@'%'");
    String backedUp = rows("SHOW CREATE USER 'app'@'%'").get(0);
    SourceHarness backup = SourceHarness.run(source().includeDatabases("ulock").includeUsers(true).build(), dir.resolve("b"));
    db.execute("DROP DATABASE ulock", "ALTER USER 'app'@'%' ACCOUNT LOCK");

    RestoreResult result = backup.restore(restorer().includeUsers(true).build());
    VerificationResult users = result.results().stream().filter(v -> v.item().equals("users and grants")).findFirst()
        .orElseThrow();
    assertThat(users.status()).isEqualTo(VerificationResult.Status.OK);
    assertThat(rows("SHOW CREATE USER 'app'@'%'").get(0)).as("users reported OK: the account is as in the snapshot")
        .isEqualTo(backedUp);
  }

  @Test
  void passwordlessSnapshotAccount() throws Exception {
    db.execute("CREATE DATABASE unopw", "CREATE TABLE unopw.t (id INT PRIMARY KEY)",
        "CREATE USER 'nopw'@'%'", "GRANT SELECT ON unopw.* TO 'nopw'@'%'");
    String backedUp = rows("SHOW CREATE USER 'nopw'@'%'").get(0);
    SourceHarness backup = SourceHarness.run(source().includeDatabases("unopw").includeUsers(true).build(), dir.resolve("b"));
    db.execute("DROP DATABASE unopw", "ALTER USER 'nopw'@'%' IDENTIFIED BY 'target-secret'");

    RestoreResult result = backup.restore(restorer().includeUsers(true).build());
    VerificationResult users = result.results().stream().filter(v -> v.item().equals("users and grants")).findFirst()
        .orElseThrow();
    assertThat(users.status()).isEqualTo(VerificationResult.Status.OK);
    assertThat(rows("SHOW CREATE USER 'nopw'@'%'").get(0)).as("users reported OK: the snapshot's authentication")
        .isEqualTo(backedUp);
  }

  @Test
  void roleGrantedOnTargetOnly() throws Exception {
    db.execute("CREATE DATABASE urole", "CREATE TABLE urole.t (id INT PRIMARY KEY)",
        "CREATE USER 'rep'@'%' IDENTIFIED BY 'pw'", "GRANT SELECT ON urole.* TO 'rep'@'%'");
    List<String> backedUp = rows("SHOW GRANTS FOR 'rep'@'%'");
    SourceHarness backup = SourceHarness.run(source().includeDatabases("urole").includeUsers(true).build(), dir.resolve("b"));
    db.execute("DROP DATABASE urole", "CREATE ROLE superrole", "GRANT ALL PRIVILEGES ON *.* TO superrole",
        "GRANT superrole TO 'rep'@'%'", "SET DEFAULT ROLE superrole FOR 'rep'@'%'");

    RestoreResult result = backup.restore(restorer().includeUsers(true).build());
    VerificationResult users = result.results().stream().filter(v -> v.item().equals("users and grants")).findFirst()
        .orElseThrow();
    System.out.println("HQ users: " + users);
    java.util.Properties pr = new java.util.Properties();
    pr.setProperty("user", "rep");
    pr.setProperty("password", "pw");
    try (Connection c = java.sql.DriverManager.getConnection(db.url(), pr); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CURRENT_ROLE()")) {
      rs.next();
      System.out.println("HQ rep logs in, role " + rs.getString(1));
    } catch (java.sql.SQLException e) {
      System.out.println("HQ rep cannot log in: " + e.getMessage());
      throw new AssertionError("rep locked out after users restore reported " + users.status() + ": " + e.getMessage());
    }
    assertThat(users.status()).isEqualTo(VerificationResult.Status.OK);
    assertThat(rows("SHOW GRANTS FOR 'rep'@'%'")).as("users reported OK: only the snapshot's grants")
        .containsExactlyInAnyOrderElementsOf(backedUp);
  }
}
