package dev.cairn.backup.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's flavour and version, which decide the lock and the binlog statements.
 *
 * @param version {@code VERSION()}
 * @param mariaDb true for MariaDB, false for Oracle MySQL (and compatible forks)
 * @param major major version
 * @param minor minor version
 * @param patch patch version
 */
record ServerInfo(String version, boolean mariaDb, int major, int minor, int patch) {
  private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  static ServerInfo read(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT VERSION(), @@version_comment")) {
      rs.next();
      String version = rs.getString(1);
      String comment = rs.getString(2) == null ? "" : rs.getString(2);
      boolean maria = version.toLowerCase().contains("mariadb") || comment.toLowerCase().contains("mariadb");
      Matcher m = NUMBERS.matcher(version);
      int major = 0;
      int minor = 0;
      int patch = 0;
      if (m.find()) {
        major = Integer.parseInt(m.group(1));
        minor = Integer.parseInt(m.group(2));
        patch = Integer.parseInt(m.group(3));
      }
      return new ServerInfo(version, maria, major, minor, patch);
    }
  }

  String flavour() {
    return mariaDb ? "mariadb" : "mysql";
  }

  private boolean atLeast(int ma, int mi, int pa) {
    return major != ma ? major > ma : minor != mi ? minor > mi : patch >= pa;
  }

  /** MariaDB 10.4.1+ has {@code BACKUP STAGE}, which blocks commits without waiting for long reads. */
  boolean hasBackupStage() {
    return mariaDb && atLeast(10, 4, 1);
  }

  /** The statement that shows the binlog file and position. */
  String binlogStatusStatement() {
    return !mariaDb && atLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
  }

  /** Server settings worth recording with the snapshot. */
  static Map<String, String> settings(Connection c, boolean mariaDb) throws SQLException {
    String[] names = {"server_id", "log_bin", "binlog_format", "gtid_mode", "sql_mode", "time_zone",
        "system_time_zone", "character_set_server", "collation_server", "lower_case_table_names",
        "default_storage_engine", "innodb_version", "version_compile_os", "local_infile"};
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      if (mariaDb && n.equals("gtid_mode")) {
        continue;
      }
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL." + n)) {
        rs.next();
        out.put(n, rs.getString(1) == null ? "" : rs.getString(1));
      } catch (SQLException e) {
        // the variable does not exist on this server version: nothing to record
      }
    }
    return out;
  }
}
