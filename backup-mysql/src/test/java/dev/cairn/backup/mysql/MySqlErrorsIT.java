package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad credentials, an unreachable server, a missing database, a blocked lock and a non-empty target. */
class MySqlErrorsIT {
  private static EmbeddedMariaDb db;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    db.execute("CREATE USER 'backup'@'%' IDENTIFIED BY 'right'",
        "GRANT ALL ON *.* TO 'backup'@'%'",
        "CREATE DATABASE shop", "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20))",
        "INSERT INTO shop.items VALUES (1, 'one'), (2, 'two')",
        "CREATE DATABASE extra", "CREATE TABLE extra.notes (id INT PRIMARY KEY)", "INSERT INTO extra.notes VALUES (7)",
        "CREATE DATABASE occupied", "CREATE TABLE occupied.keep (id INT PRIMARY KEY)", "INSERT INTO occupied.keep VALUES (42)",
        "CREATE TABLE shop.slow (v INT) ENGINE=MyISAM", "INSERT INTO shop.slow VALUES (1)");
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private MySqlSource.Builder source(String password) {
    return MySqlSource.builder().url(db.url()).user("backup").password(Secret.of(password));
  }

  @Test
  void wrongCredentialsFailTheBackup() throws Exception {
    Path out = dir.resolve("backup");
    assertThatThrownBy(() -> SourceHarness.run(source("wrong").build(), out))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("access denied for user 'backup'")
        .hasMessageContaining("127.0.0.1:" + db.port())
        .hasMessageContaining("check the user name and password");
    assertThat(filesIn(out)).isEmpty();
  }

  @Test
  void unreachableServerFailsTheBackup() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path out = dir.resolve("backup");
    assertThatThrownBy(() -> SourceHarness.run(MySqlSource.builder().url("jdbc:mysql://127.0.0.1:" + port + "/")
        .user("backup").password(Secret.of("right")).build(), out))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("cannot connect to MySQL server jdbc:mysql://127.0.0.1:" + port + "/")
        .hasMessageContaining("check the host, the port");
    assertThat(filesIn(out)).isEmpty();
  }

  @Test
  void missingIncludedDatabaseFailsTheBackup() throws Exception {
    Path out = dir.resolve("backup");
    assertThatThrownBy(() -> SourceHarness.run(source("right").includeDatabases("shop", "nope").build(), out))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("database 'nope' named in includeDatabases does not exist");
    assertThat(filesIn(out)).isEmpty();
    assertThatThrownBy(() -> source("right").includeTables("shop.nope").build().check())
        .isInstanceOf(SourceException.class).hasMessageContaining("table 'shop.nope'");
  }

  @Test
  void lockTimeoutNamesTheBlockingQuery() throws Exception {
    Thread blocker = new Thread(() -> db.execute("UPDATE shop.slow SET v = SLEEP(5)"));
    blocker.start();
    try {
      Thread.sleep(500);
      assertThatThrownBy(() -> SourceHarness.run(source("right").includeDatabases("shop")
          .lockWaitTimeout(Duration.ofSeconds(1)).build(), dir.resolve("backup")))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("could not take the backup lock")
          .hasMessageContaining("UPDATE shop.slow SET v = SLEEP(5)")
          .hasMessageContaining("raise lockWaitTimeout");
    } finally {
      blocker.join();
    }
  }

  @Test
  void restoreIntoNonEmptyDatabaseIsRefusedAndNothingChanges() throws Exception {
    SourceHarness backup = SourceHarness.run(source("right").includeDatabases("shop", "extra")
        .excludeTables("shop.slow").build(), dir.resolve("backup"));
    MySqlRestorer.Builder restorer = MySqlRestorer.builder().url(db.url()).user("backup").password(Secret.of("right"))
        .renameDatabase("extra", "extra_new").renameDatabase("shop", "occupied");
    assertThatThrownBy(() -> backup.restore(restorer.build()))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("database `occupied` holds base table keep")
        .hasMessageContaining("Nothing was changed");
    assertThat(MySqlRoundTripIT.tables(db, "occupied")).containsExactly("keep");
    assertThat(MySqlRoundTripIT.rows(db, "occupied.keep")).containsExactly("3432|");
    assertThat(MySqlRoundTripIT.tables(db, "extra_new")).isEmpty();
    assertThat(schemaExists("extra_new")).isFalse();

    String binlogBefore = position(db);
    RestoreResult allowed = backup.restore(MySqlRestorer.builder().url(db.url()).user(EmbeddedMariaDb.USER)
        .password(Secret.of(EmbeddedMariaDb.PASSWORD)).renameDatabase("shop", "occupied").includeDatabases("shop")
        .allowNonEmpty(true).writeBinlog(false).build());
    assertThat(allowed.verified()).isTrue();
    assertThat(position(db)).as("writeBinlog(false) leaves the binlog alone").isEqualTo(binlogBefore);
    assertThat(MySqlRoundTripIT.tables(db, "occupied")).containsExactly("items", "keep");
    assertThat(MySqlRoundTripIT.rows(db, "occupied.items")).isEqualTo(MySqlRoundTripIT.rows(db, "shop.items"));
  }

  private static String position(EmbeddedMariaDb db) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement(); var rs = st.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return rs.getString(1) + ":" + rs.getString(2);
    }
  }

  private static boolean schemaExists(String name) throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + name + "'")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
