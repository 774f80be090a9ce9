package dev.cairn.backup.mysql;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A public face of backup-mysql's {@code EmbeddedMariaDb} test helper (from its test jar) for the
 * command-line tests in other packages: an embedded MariaDB on a free loopback port with an
 * administrator {@link #USER}, started by the test and never assumed running.
 */
public final class SharedMariaDb implements AutoCloseable {
  /** The administrator's user name. */
  public static final String USER = EmbeddedMariaDb.USER;
  /** The administrator's password. */
  public static final String PASSWORD = EmbeddedMariaDb.PASSWORD;

  private final EmbeddedMariaDb db;

  private SharedMariaDb(EmbeddedMariaDb db) {
    this.db = db;
  }

  /** Starts a server; fails loudly if it cannot. */
  public static SharedMariaDb start() throws Exception {
    return new SharedMariaDb(EmbeddedMariaDb.start());
  }

  /** A JDBC URL without credentials. */
  public String url() {
    return db.url();
  }

  /** An administrator connection (UTC session). */
  public Connection connect() throws SQLException {
    return db.connect();
  }

  /** Runs statements as the administrator. */
  public void execute(String... sql) {
    db.execute(sql);
  }

  @Override
  public void close() throws Exception {
    db.close();
  }
}
