package dev.cairn.backup.mysql;

import dev.cairn.backup.Secret;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Verification;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up a MySQL or MariaDB server over JDBC: a consistent snapshot of every selected database (schema
 * as SQL, data as {@code LOAD DATA} files in key order, split into key ranges dumped in parallel), with
 * the binlog coordinates, server version and settings recorded as snapshot metadata and a row count and
 * checksum per table recorded as verification data.
 *
 * <p>Consistency: the source opens its dump connections first, then takes a brief lock that stops
 * commits ({@code BACKUP STAGE BLOCK_COMMIT} on MariaDB 10.4.1+, which does not wait for running
 * reads; {@code FLUSH TABLES WITH READ LOCK} elsewhere), reads the binlog file, position and GTID set,
 * starts {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} on every dump connection and releases the
 * lock. All transactional (InnoDB) tables are therefore dumped as of one instant, the one the recorded
 * binlog coordinates describe. Non-transactional tables (MyISAM, Aria) are read after the lock is
 * released and are not covered by that guarantee.
 *
 * <pre>{@code
 * MySqlSource source = MySqlSource.builder()
 *     .url("jdbc:mysql://db.example:3306/")
 *     .user("backup")
 *     .password(Secret.of(System.getenv("CAIRN_MYSQL_PASSWORD")))
 *     .excludeDatabases("scratch_*")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@link #backup} opens and closes its own connections.
 */
public final class MySqlSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlSource.class);
  private static final Set<String> SYSTEM_DATABASES =
      Set.of("information_schema", "performance_schema", "mysql", "sys");
  private static final Set<String> SYSTEM_USERS =
      Set.of("mariadb.sys", "mysql.sys", "mysql.session", "mysql.infoschema");

  private final String name;
  private final String url;
  private final String user;
  private final Secret password;
  private final List<String> includeDatabases;
  private final List<String> excludeDatabases;
  private final List<String> includeTables;
  private final List<String> excludeTables;
  private final int threads;
  private final Duration lockWaitTimeout;
  private final long rowsPerChunk;
  private final boolean includeUsers;

  private final Runnable afterSelect;

  private MySqlSource(Builder b) {
    this.name = b.name;
    this.url = b.url;
    this.user = b.user;
    this.password = b.password;
    this.includeDatabases = List.copyOf(b.includeDatabases);
    this.excludeDatabases = List.copyOf(b.excludeDatabases);
    this.includeTables = List.copyOf(b.includeTables);
    this.excludeTables = List.copyOf(b.excludeTables);
    this.threads = b.threads;
    this.lockWaitTimeout = b.lockWaitTimeout;
    this.rowsPerChunk = b.rowsPerChunk;
    this.includeUsers = b.includeUsers;
    this.afterSelect = b.afterSelect;
  }

  /** Starts a builder; {@link Builder#url} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** Returns {@code mysql}. */
  @Override
  public String type() {
    return "mysql";
  }

  /**
   * Connects, and checks that every database and table named literally in the include lists exists.
   *
   * @throws SourceException naming the server, the user or the missing database
   */
  @Override
  public void check() throws IOException {
    try (Connection c = connect()) {
      select(c);
    } catch (SQLException e) {
      throw new SourceException(Connections.explain(e, url, user, "checking the server"), e);
    }
  }

  /**
   * Dumps the selected databases into {@code context}; see the class comment for the consistency
   * guarantee and {@code docs/mysql.md} for the files.
   *
   * @throws SourceException if the server cannot be reached, the credentials are refused, an included
   *     database or table does not exist, the lock cannot be taken within the lock wait timeout (naming
   *     the query in the way), or a read fails
   */
  @Override
  public void backup(SourceContext context) throws IOException {
    long start = System.nanoTime();
    List<Connection> workers = new ArrayList<>();
    try (Connection control = connect()) {
      ServerInfo info = ServerInfo.read(control);
      for (int i = 0; i < threads; i++) {
        Connection w = connect();
        workers.add(w);
        w.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      }
      Map<String, DatabaseSelection> selection = consistentSelection(control, info, workers, context);
      for (Map.Entry<String, String> e : ServerInfo.settings(control, info.mariaDb()).entrySet()) {
        context.putMetadata("mysql.setting." + e.getKey(), e.getValue());
      }
      List<TableDef> tables = new ArrayList<>();
      for (DatabaseSelection db : selection.values()) {
        dumpSchema(control, info, db, context);
        for (String t : db.tables) {
          tables.add(TableDef.read(control, db.name, t));
        }
      }
      if (includeUsers) {
        dumpUsers(control, context);
      }
      dumpData(workers, tables, context);
      for (Connection w : workers) {
        try (Statement st = w.createStatement()) {
          st.execute("COMMIT");
        }
      }
      context.putMetadata("mysql.format", "1");
      LOG.info("MySQL backup of {} done: {} databases, {} tables in {} ms", Connections.redact(url),
          selection.size(), tables.size(), (System.nanoTime() - start) / 1_000_000);
    } catch (SQLException e) {
      throw new SourceException(Connections.explain(e, url, user, "the backup"), e);
    } finally {
      for (Connection w : workers) {
        try {
          w.close();
        } catch (SQLException e) {
          LOG.debug("closing a dump connection failed", e);
        }
      }
    }
  }

  /**
   * Selects the tables and takes the consistent snapshot, then selects again: a table created, dropped
   * or renamed in between (a schema migration) would be missing from the dump, or fail it, while its DDL
   * lies before the recorded binlog position, so that point-in-time recovery from there would not bring
   * it back either. Then the snapshot is let go and taken again, up to three times.
   */
  private Map<String, DatabaseSelection> consistentSelection(Connection control, ServerInfo info,
      List<Connection> workers, SourceContext context) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      Map<String, DatabaseSelection> selection = select(control);
      afterSelect.run();
      snapshot(control, info, workers, context);
      Map<String, DatabaseSelection> after = select(control);
      String before = signature(selection);
      String now = signature(after);
      if (before.equals(now)) {
        return selection;
      }
      for (Connection w : workers) {
        try (Statement st = w.createStatement()) {
          st.execute("COMMIT");
        }
      }
      if (attempt == 3) {
        throw new SourceException("tables of MySQL server " + Connections.redact(url) + " were created, dropped or"
            + " renamed while the backup took its consistent snapshot, three times in a row (a schema change is"
            + " running?): before " + before + ", after " + now + "; run the backup when it is done");
      }
      LOG.info("tables changed while the backup took its snapshot (before {}, after {}); taking it again", before, now);
    }
  }

  private static String signature(Map<String, DatabaseSelection> selection) {
    StringBuilder sb = new StringBuilder();
    for (DatabaseSelection d : selection.values()) {
      sb.append(d.name).append(d.tables).append(d.sequences).append(d.views).append(' ');
    }
    return sb.toString().trim();
  }

  private Connection connect() {
    try {
      return Connections.open(url, user, password, false);
    } catch (SQLException e) {
      throw new SourceException(Connections.explain(e, url, user, "connecting"), e);
    }
  }

  /** The databases to dump, with their base tables, sequences and views. */
  private static final class DatabaseSelection {
    final String name;
    final boolean whole;
    final List<String> tables = new ArrayList<>();
    final List<String> sequences = new ArrayList<>();
    final List<String> views = new ArrayList<>();

    DatabaseSelection(String name, boolean whole) {
      this.name = name;
      this.whole = whole;
    }
  }

  private Map<String, DatabaseSelection> select(Connection c) throws SQLException {
    List<String> all = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")) {
      while (rs.next()) {
        all.add(rs.getString(1));
      }
    }
    for (String inc : includeDatabases) {
      if (!Names.isGlob(inc) && !all.contains(inc)) {
        throw new SourceException("database '" + inc + "' named in includeDatabases does not exist on MySQL server "
            + Connections.redact(url) + "; existing databases: " + all);
      }
    }
    Set<String> literalTables = new LinkedHashSet<>();
    for (String inc : includeTables) {
      if (!Names.isGlob(inc)) {
        literalTables.add(inc);
      }
    }
    Map<String, DatabaseSelection> out = new TreeMap<>();
    for (String db : all) {
      boolean literal = includeDatabases.contains(db);
      if (SYSTEM_DATABASES.contains(db) && !literal) {
        continue;
      }
      if (!includeDatabases.isEmpty() && !Names.matchesAny(includeDatabases, db)) {
        continue;
      }
      if (Names.matchesAny(excludeDatabases, db)) {
        continue;
      }
      DatabaseSelection sel = new DatabaseSelection(db, includeTables.isEmpty());
      try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")) {
        ps.setString(1, db);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String table = rs.getString(1);
            String type = rs.getString(2);
            String qualified = db + "." + table;
            if (!includeTables.isEmpty() && !Names.matchesAny(includeTables, qualified)) {
              continue;
            }
            if (Names.matchesAny(excludeTables, qualified)) {
              continue;
            }
            literalTables.remove(qualified);
            if ("VIEW".equals(type)) {
              sel.views.add(table);
            } else if ("SEQUENCE".equals(type)) {
              sel.sequences.add(table);
            } else if ("BASE TABLE".equals(type) || "SYSTEM VERSIONED".equals(type)) {
              sel.tables.add(table);
            }
          }
        }
      }
      if (includeTables.isEmpty() || literal || !sel.tables.isEmpty() || !sel.views.isEmpty()
          || !sel.sequences.isEmpty()) {
        out.put(db, sel);
      }
    }
    if (!literalTables.isEmpty()) {
      throw new SourceException("table '" + literalTables.iterator().next() + "' named in includeTables does not"
          + " exist on MySQL server " + Connections.redact(url) + " (or is excluded); name tables as database.table");
    }
    return out;
  }

  /** Takes the lock, records the binlog coordinates, starts the snapshot transactions, releases the lock. */
  private void snapshot(Connection control, ServerInfo info, List<Connection> workers, SourceContext context)
      throws SQLException {
    context.putMetadata("mysql.server.version", info.version());
    context.putMetadata("mysql.server.flavour", info.flavour());
    String method = info.hasBackupStage() ? "BACKUP STAGE BLOCK_COMMIT" : "FLUSH TABLES WITH READ LOCK";
    String[] binlog;
    try (Statement st = control.createStatement()) {
      st.execute("SET SESSION lock_wait_timeout = " + Math.max(1, lockWaitTimeout.toSeconds()));
      long t0 = System.nanoTime();
      boolean locked = false;
      try {
        if (info.hasBackupStage()) {
          st.execute("BACKUP STAGE START");
          locked = true;
          st.execute("BACKUP STAGE BLOCK_COMMIT");
        } else {
          st.execute("FLUSH TABLES WITH READ LOCK");
          locked = true;
        }
      } catch (SQLException e) {
        if (locked) {
          release(st, info);
        }
        if (e.getErrorCode() == 1205) {
          throw new SourceException("could not take the backup lock (" + method + ") on MySQL server "
              + Connections.redact(url) + " within the lock wait timeout of " + lockWaitTimeout.toSeconds()
              + " s: " + blockers(control) + "; wait for it to finish, stop it, or raise lockWaitTimeout", e);
        }
        throw e;
      }
      long locked0 = System.nanoTime();
      try {
        String[] recorded = {"", ""};
        try (ResultSet rs = st.executeQuery(info.binlogStatusStatement())) {
          if (rs.next()) {
            recorded[0] = rs.getString("File");
            recorded[1] = rs.getString("Position");
            context.putMetadata("mysql.binlog.file", recorded[0]);
            context.putMetadata("mysql.binlog.position", recorded[1]);
            if (!info.mariaDb() && rs.getMetaData().getColumnCount() >= 5) {
              context.putMetadata("mysql.gtid.executed", Objects.toString(rs.getString("Executed_Gtid_Set"), ""));
            }
          } else {
            context.putMetadata("mysql.binlog.file", "");
            context.putMetadata("mysql.binlog.position", "");
          }
        }
        if (info.mariaDb()) {
          try (ResultSet rs = st.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos, @@GLOBAL.gtid_current_pos")) {
            rs.next();
            context.putMetadata("mysql.gtid.binlog_pos", Objects.toString(rs.getString(1), ""));
            context.putMetadata("mysql.gtid.current_pos", Objects.toString(rs.getString(2), ""));
          }
        }
        for (Connection w : workers) {
          try (Statement ws = w.createStatement()) {
            ws.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
          }
        }
        binlog = recorded;
      } finally {
        release(st, info);
      }
      long heldMicros = (System.nanoTime() - locked0) / 1000;
      context.putMetadata("mysql.lock.method", method);
      context.putMetadata("mysql.lock.waitMillis", Long.toString((locked0 - t0) / 1_000_000));
      context.putMetadata("mysql.lock.heldMicros", Long.toString(heldMicros));
      LOG.debug("{} held for {} us", method, heldMicros);
    }
    if (info.mariaDb()) {
      checkSnapshotPosition(workers.get(0), binlog[0], binlog[1]);
    }
  }

  /** MariaDB reports the binlog position each consistent snapshot saw: it must be the one recorded. */
  private void checkSnapshotPosition(Connection w, String recordedFile, String recordedPosition)
      throws SQLException {
    String file = null;
    String pos = null;
    try (Statement st = w.createStatement(); ResultSet rs = st.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
      while (rs.next()) {
        if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
          file = rs.getString(2);
        } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
          pos = rs.getString(2);
        }
      }
    }
    if (file != null && !file.isEmpty() && !recordedFile.isEmpty()
        && !(file.equals(recordedFile) && Objects.equals(pos, recordedPosition))) {
      throw new SourceException("the consistent snapshot on MySQL server " + Connections.redact(url) + " sees binlog "
          + file + ":" + pos + " but " + recordedFile + ":" + recordedPosition
          + " was recorded under the lock; something committed while the lock was held, retry the backup");
    }
  }

  private static void release(Statement st, ServerInfo info) throws SQLException {
    st.execute(info.hasBackupStage() ? "BACKUP STAGE END" : "UNLOCK TABLES");
  }

  private static String blockers(Connection c) {
    StringBuilder sb = new StringBuilder();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ID, USER, TIME, COMMAND, STATE, LEFT(INFO, 300)"
            + " FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
            + " AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID')"
            + " ORDER BY TIME DESC LIMIT 3")) {
      while (rs.next()) {
        sb.append(sb.length() == 0 ? "" : "; ").append("thread ").append(rs.getLong(1)).append(" (user ")
            .append(rs.getString(2)).append(", running ").append(rs.getLong(3)).append(" s, ")
            .append(rs.getString(4)).append(rs.getString(5) == null ? "" : " / " + rs.getString(5)).append("): ")
            .append(rs.getString(6) == null ? "(no statement)" : SqlScript.abbreviate(rs.getString(6)));
      }
    } catch (SQLException e) {
      return "the running queries could not be listed (" + e.getMessage() + ")";
    }
    return sb.length() == 0 ? "no other running query found (a lock held by an idle session, e.g. LOCK TABLES or"
        + " an open FLUSH TABLES WITH READ LOCK?)" : "blocked by " + sb;
  }

  private void dumpSchema(Connection c, ServerInfo info, DatabaseSelection db, SourceContext context)
      throws SQLException, IOException {
    String header = "Cairn MySQL dump of database " + Names.quote(db.name) + " from " + info.flavour() + " "
        + info.version();
    try (Statement st = c.createStatement()) {
      st.execute("SET SESSION sql_mode = '', sql_quote_show_create = 1");
      st.execute("USE " + Names.quote(db.name));
      try (PreparedStatement ps = c.prepareStatement("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME"
          + " FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
        ps.setString(1, db.name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          write(context, Layout.db(db.name, Layout.DATABASE), SqlScript.render(header, List.of(
              "CREATE DATABASE IF NOT EXISTS " + Names.quote(db.name) + " CHARACTER SET " + rs.getString(1)
                  + " COLLATE " + rs.getString(2))));
        }
      }
      List<String> tableNames = new ArrayList<>(db.tables);
      tableNames.addAll(db.sequences);
      for (String t : tableNames) {
        String create = single(st, "SHOW CREATE TABLE " + Names.quote(t), 2);
        write(context, Layout.table(db.name, t, Layout.SCHEMA), SqlScript.render(header + ", table " + Names.quote(t),
            List.of("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', foreign_key_checks = 0", create)));
      }
      if (db.whole) {
        List<String> routines = new ArrayList<>();
        for (String[] r : list(c, "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES"
            + " WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION') ORDER BY ROUTINE_TYPE, ROUTINE_NAME",
            db.name)) {
          try (ResultSet rs = st.executeQuery("SHOW CREATE " + r[0] + " " + Names.quote(r[1]))) {
            rs.next();
            String create = rs.getString(3);
            if (create == null) {
              throw new SourceException("the definition of " + r[0].toLowerCase() + " " + Names.quote(db.name, r[1])
                  + " is hidden from user '" + user + "': grant it SELECT on mysql.proc (MariaDB) or SHOW_ROUTINE");
            }
            routines.add("SET SESSION sql_mode = " + Names.literal(rs.getString(2)));
            routines.add(create);
          }
        }
        writeIfAny(context, db.name, Layout.ROUTINES, header + ", procedures and functions", routines);
        List<String> events = new ArrayList<>();
        for (String[] e : list(c, "SELECT EVENT_NAME, EVENT_NAME FROM information_schema.EVENTS"
            + " WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME", db.name)) {
          try (ResultSet rs = st.executeQuery("SHOW CREATE EVENT " + Names.quote(e[0]))) {
            rs.next();
            events.add("SET SESSION sql_mode = " + Names.literal(rs.getString(2)) + ", time_zone = "
                + Names.literal(rs.getString(3)));
            events.add(rs.getString(4));
          }
        }
        writeIfAny(context, db.name, Layout.EVENTS, header + ", events", events);
      }
      Map<String, String> views = new LinkedHashMap<>();
      for (String v : db.views) {
        views.put(v, single(st, "SHOW CREATE VIEW " + Names.quote(v), 2));
      }
      writeIfAny(context, db.name, Layout.VIEWS, header + ", views", dependencyOrder(views));
      List<String> triggers = new ArrayList<>();
      for (String[] t : list(c, "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS"
          + " WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER",
          db.name)) {
        if (!db.tables.contains(t[1])) {
          continue;
        }
        try (ResultSet rs = st.executeQuery("SHOW CREATE TRIGGER " + Names.quote(t[0]))) {
          rs.next();
          triggers.add("SET SESSION sql_mode = " + Names.literal(rs.getString(2)));
          triggers.add(rs.getString(3));
        }
      }
      writeIfAny(context, db.name, Layout.TRIGGERS, header + ", triggers", triggers);
    }
  }

  /** Orders views so that a view comes after the views its definition names. */
  static List<String> dependencyOrder(Map<String, String> views) {
    List<String> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    Map<String, String> pending = new LinkedHashMap<>(views);
    while (!pending.isEmpty()) {
      boolean progress = false;
      for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        boolean ready = true;
        for (String other : pending.keySet()) {
          if (!other.equals(e.getKey()) && e.getValue().contains(Names.quote(other))) {
            ready = false;
            break;
          }
        }
        if (ready) {
          out.add(e.getValue());
          done.add(e.getKey());
          it.remove();
          progress = true;
        }
      }
      if (!progress) {
        out.addAll(pending.values());
        break;
      }
    }
    return out;
  }

  private void dumpUsers(Connection c, SourceContext context) throws SQLException, IOException {
    List<String> statements = new ArrayList<>();
    List<String[]> users = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT User, Host FROM mysql.user ORDER BY User, Host")) {
      while (rs.next()) {
        if (!SYSTEM_USERS.contains(rs.getString(1)) && !rs.getString(1).isEmpty()) {
          users.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    try (Statement st = c.createStatement()) {
      for (String[] u : users) {
        String account = Names.literal(u[0]) + "@" + Names.literal(u[1]);
        String create;
        try {
          create = single(st, "SHOW CREATE USER " + account, 1);
        } catch (SQLException e) {
          if (e.getErrorCode() != 1133) {
            throw e;
          }
          // an account the server ignores (a host name under --skip-name-resolve, a role): nothing to restore
          LOG.warn("skipping account {}: {}", account, e.getMessage());
          continue;
        }
        statements.add(create.replaceFirst("^CREATE USER ", "CREATE USER IF NOT EXISTS "));
        try (ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + account)) {
          while (rs.next()) {
            statements.add(rs.getString(1));
          }
        }
      }
    } catch (SQLException e) {
      throw new SourceException("reading users and grants failed on MySQL server " + Connections.redact(url) + ": "
          + e.getMessage() + "; grant the backup user SELECT on mysql.* or turn includeUsers off", e);
    }
    write(context, Layout.USERS, SqlScript.render("Cairn MySQL dump: users and grants", statements));
  }

  private void dumpData(List<Connection> workers, List<TableDef> tables, SourceContext context)
      throws SQLException, IOException {
    Map<TableDef, Set<String>> files = new ConcurrentHashMap<>();
    for (TableDef t : tables) {
      files.put(t, new ConcurrentSkipListSet<>());
    }
    ParallelDumper.run(workers, tables, rowsPerChunk, task -> new ParallelDumper.TaskSink() {
      private OutputStream out;
      private int fileIndex = task.index() - 1;
      private long rowsInFile;

      @Override
      public void line(byte[] buffer, int length) throws IOException {
        if (out == null || (!task.ranged() && rowsInFile >= rowsPerChunk)) {
          close();
          fileIndex++;
          String file = Layout.dataFile(fileIndex);
          files.get(task.table()).add(file);
          out = new BufferedOutputStream(context.newFile(EntryMetadata.stream(
              Layout.table(task.table().database(), task.table().table(), file))), 1 << 17);
          rowsInFile = 0;
        }
        out.write(buffer, 0, length);
        rowsInFile++;
      }

      @Override
      public void close() throws IOException {
        if (out != null) {
          out.close();
          out = null;
        }
      }
    }, (table, checksum) -> {
      StringBuilder load = new StringBuilder();
      load.append("-- Cairn MySQL dump: data of ").append(Names.quote(table.database(), table.table()))
          .append(". Run in this directory: mysql --local-infile=1 DATABASE < load.sql\n");
      load.append("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', foreign_key_checks = 0, unique_checks = 0,"
          + " time_zone = '+00:00';\n");
      for (String f : files.get(table)) {
        load.append(table.loadStatement(Names.literal(f), Names.quote(table.table()))).append(";\n");
      }
      write(context, Layout.table(table.database(), table.table(), Layout.LOAD), load.toString());
      Map<String, String> attributes = new java.util.LinkedHashMap<>(Map.of("database", table.database(), "table",
          table.table(), "algorithm", RowChecksum.ALGORITHM));
      if (table.versioned()) {
        attributes.put("history", "true");   // dumped with every version: restore and check read it so
      }
      context.addVerification(new Verification(table.item(), checksum.rows(), checksum.value(), attributes));
      LOG.debug("dumped {}: {} rows", table.item(), checksum.rows());
    });
  }

  private void writeIfAny(SourceContext context, String db, String file, String comment, List<String> statements)
      throws IOException {
    if (!statements.isEmpty()) {
      write(context, Layout.db(db, file), SqlScript.render(comment, statements));
    }
  }

  private static void write(SourceContext context, String path, String text) throws IOException {
    try (OutputStream out = context.newFile(EntryMetadata.stream(path))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String single(Statement st, String sql, int column) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no result for " + sql);
      }
      return rs.getString(column);
    }
  }

  private static List<String[]> list(Connection c, String sql, String param) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  /**
   * Builds a {@link MySqlSource}. Mutable, not thread-safe; each option may be set once.
   */
  public static final class Builder {
    private String name = "mysql";
    private String url;
    private String user;
    private Secret password;
    private final List<String> includeDatabases = new ArrayList<>();
    private final List<String> excludeDatabases = new ArrayList<>();
    private final List<String> includeTables = new ArrayList<>();
    private final List<String> excludeTables = new ArrayList<>();
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private Duration lockWaitTimeout = Duration.ofSeconds(60);
    private long rowsPerChunk = 200_000;
    private boolean includeUsers;
    private Runnable afterSelect = () -> { };

    private Builder() {}

    /** Runs {@code hook} between choosing the tables and taking the snapshot; for tests of that window. */
    Builder afterSelect(Runnable hook) {
      this.afterSelect = Objects.requireNonNull(hook, "hook");
      return this;
    }

    /** The source's name in the plan; default {@code mysql}. */
    public Builder name(String name) {
      this.name = requireText(name, "name");
      return this;
    }

    /** The JDBC URL, e.g. {@code jdbc:mysql://db:3306/}; connector/J properties may be appended. Required. */
    public Builder url(String url) {
      this.url = Connections.checkUrl(url);
      return this;
    }

    /** The user name; default: whatever the URL says. */
    public Builder user(String user) {
      this.user = requireText(user, "user");
      return this;
    }

    /** The password; default: whatever the URL says. */
    public Builder password(Secret password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Databases to back up, by name or glob ({@code *}, {@code ?}); default all but the system databases. */
    public Builder includeDatabases(String... patterns) {
      includeDatabases.addAll(List.of(patterns));
      return this;
    }

    /** Databases to leave out, by name or glob. */
    public Builder excludeDatabases(String... patterns) {
      excludeDatabases.addAll(List.of(patterns));
      return this;
    }

    /**
     * Tables (and views) to back up, as {@code database.table} names or globs, e.g. {@code app.*}; when
     * set, only matching tables, their triggers and matching views are dumped (no routines or events).
     */
    public Builder includeTables(String... patterns) {
      includeTables.addAll(List.of(patterns));
      return this;
    }

    /** Tables (and views) to leave out, as {@code database.table} names or globs. */
    public Builder excludeTables(String... patterns) {
      excludeTables.addAll(List.of(patterns));
      return this;
    }

    /** Dump connections; default the number of cores, at least 2. */
    public Builder threads(int threads) {
      this.threads = Connections.checkThreads(threads);
      return this;
    }

    /**
     * How long to wait for the backup lock before failing (the server's {@code lock_wait_timeout}); while
     * the lock waits, writes on the server wait too. Default 60 s.
     */
    public Builder lockWaitTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.toSeconds() < 1) {
        throw new IllegalArgumentException("lockWaitTimeout must be at least 1 s, got " + timeout);
      }
      this.lockWaitTimeout = timeout;
      return this;
    }

    /** Rows per data file (and per key range dumped in parallel); default 200,000. */
    public Builder rowsPerChunk(long rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("rowsPerChunk must be positive, got " + rows);
      }
      this.rowsPerChunk = rows;
      return this;
    }

    /** Also dump user accounts and their grants ({@code @users.sql}); default false. */
    public Builder includeUsers(boolean includeUsers) {
      this.includeUsers = includeUsers;
      return this;
    }

    /**
     * Builds the source.
     *
     * @throws IllegalStateException if no URL was set
     */
    public MySqlSource build() {
      if (url == null) {
        throw new IllegalStateException("MySqlSource needs url(...), e.g. jdbc:mysql://db:3306/");
      }
      return new MySqlSource(this);
    }

    private static String requireText(String s, String what) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank");
      }
      return s;
    }
  }
}
