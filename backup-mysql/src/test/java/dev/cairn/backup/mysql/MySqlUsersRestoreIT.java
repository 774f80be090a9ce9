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

/** Users restored over accounts that already exist on the target server. */
class MySqlUsersRestoreIT {
  private static EmbeddedMariaDb db;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    // root@localhost's GRANT PROXY can only be given by root itself: leave it out of this server's dump
    db.execute("DROP USER IF EXISTS 'root'@'localhost'");
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private static List<String> grants(String account) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void anExistingAccountGetsTheSnapshotsGrantsNotItsOwnPlusThem() throws Exception {
    db.execute("CREATE DATABASE uapp", "CREATE TABLE uapp.t (id INT PRIMARY KEY)",
        "CREATE USER 'reporter'@'%' IDENTIFIED BY 'pw'", "GRANT SELECT ON uapp.* TO 'reporter'@'%'");
    List<String> backedUp = grants("'reporter'@'%'");
    SourceHarness backup = SourceHarness.run(MySqlSource.builder().url(db.url()).user(EmbeddedMariaDb.USER)
        .password(Secret.of(EmbeddedMariaDb.PASSWORD)).includeDatabases("uapp").includeUsers(true).build(), dir.resolve("b"));
    // the account on the server restored into has other rights
    db.execute("DROP DATABASE uapp", "REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'reporter'@'%'",
        "GRANT ALL PRIVILEGES ON *.* TO 'reporter'@'%' WITH GRANT OPTION");

    RestoreResult result = backup.restore(MySqlRestorer.builder().url(db.url()).user(EmbeddedMariaDb.USER)
        .password(Secret.of(EmbeddedMariaDb.PASSWORD)).includeUsers(true).build());

    VerificationResult users = result.results().stream().filter(v -> v.item().equals("users and grants")).findFirst()
        .orElseThrow();
    assertThat(users.status()).isEqualTo(VerificationResult.Status.OK);
    assertThat(grants("'reporter'@'%'")).as("users and grants reported OK: the account has the grants of the snapshot")
        .containsExactlyInAnyOrderElementsOf(backedUp);
  }
}
