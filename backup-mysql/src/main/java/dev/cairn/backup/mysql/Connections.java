package dev.cairn.backup.mysql;

import dev.cairn.backup.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/** Opens connector/J connections with the settings a dump or a load needs, and explains failures. */
final class Connections {
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
  private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@]*):[^/@]*@");

  private Connections() {}

  /**
   * Opens a connection: text protocol, utf8mb4 both ways (results are converted to utf8mb4 whatever the
   * column's charset; table dumps switch to binary results, see RowEncoder), UTC session time zone so
   * TIMESTAMP values travel unconverted, and for a restore {@code allowLoadLocalInfile}.
   */
  static Connection open(String url, String user, Secret password, boolean loadLocal) throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password.reveal());
    }
    p.setProperty("characterEncoding", "UTF-8");
    p.setProperty("characterSetResults", "UTF-8");
    p.setProperty("connectionTimeZone", "SERVER");
    p.setProperty("useServerPrepStmts", "false");
    p.setProperty("useCursorFetch", "false");
    p.setProperty("cacheDefaultTimeZone", "false");
    p.setProperty("zeroDateTimeBehavior", "CONVERT_TO_NULL");
    p.setProperty("tinyInt1isBit", "false");
    p.setProperty("connectTimeout", "15000");
    p.setProperty("allowLoadLocalInfile", Boolean.toString(loadLocal));
    p.setProperty("allowMultiQueries", "false");
    Connection c = DriverManager.getConnection(url, p);
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION time_zone = '+00:00', character_set_results = utf8mb4,"
          + " net_read_timeout = 3600, net_write_timeout = 3600, wait_timeout = 86400");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Returns {@code url} if it is a connector/J URL, else throws {@link IllegalArgumentException}. */
  static String checkUrl(String url) {
    if (url == null || !url.startsWith("jdbc:mysql:")) {
      throw new IllegalArgumentException("url must be a jdbc:mysql:// URL, got " + (url == null ? null : redact(url)));
    }
    return url;
  }

  /** Returns {@code threads} if it is between 1 and 64, else throws {@link IllegalArgumentException}. */
  static int checkThreads(int threads) {
    if (threads < 1 || threads > 64) {
      throw new IllegalArgumentException("threads must be between 1 and 64, got " + threads);
    }
    return threads;
  }

  /** The URL with any password in it hidden, for messages. */
  static String redact(String url) {
    String u = URL_PASSWORD.matcher(url).replaceAll("$1***");
    return URL_USERINFO.matcher(u).replaceAll("$1:***@");
  }

  /**
   * A message for a failure to connect or to run {@code what}, naming the server and the likely fix.
   */
  static String explain(SQLException e, String url, String user, String what) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String server = "MySQL server " + redact(url);
    if (e.getErrorCode() == 1045 || state.equals("28000")) {
      return "access denied for user '" + user + "' on " + server + ": check the user name and password ("
          + e.getMessage() + ")";
    }
    if (String.valueOf(e.getMessage()).startsWith("No suitable driver")) {
      return "no JDBC driver accepts " + redact(url) + ": put mysql-connector-j on the class path and use a"
          + " jdbc:mysql:// URL";
    }
    if (state.startsWith("08")) {
      return "cannot connect to " + server + ": " + rootMessage(e)
          + "; check the host, the port and that the server is running";
    }
    if (e.getErrorCode() == 1227 || e.getErrorCode() == 1044 || e.getErrorCode() == 1142) {
      return what + " failed on " + server + ": user '" + user + "' lacks a privilege (" + e.getMessage()
          + "); a backup needs SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES and RELOAD (and for MariaDB"
          + " BACKUP STAGE the RELOAD privilege), a restore needs ALL on the target databases";
    }
    return what + " failed on " + server + ": " + e.getMessage();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return t == e ? first : first + " (" + t + ")";
  }
}
