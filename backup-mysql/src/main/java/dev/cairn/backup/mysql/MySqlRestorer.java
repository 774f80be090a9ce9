package dev.cairn.backup.mysql;

import com.mysql.cj.jdbc.JdbcStatement;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a {@link MySqlSource} snapshot into a MySQL or MariaDB server: databases (optionally renamed)
 * and tables first, then the data with several parallel {@code LOAD DATA LOCAL INFILE} streams (foreign
 * key and unique checks off), then routines, views, triggers and events, and finally a verification of
 * every restored table: its row count and checksum, recomputed from the server with the same code the
 * backup used, against the values recorded at backup time.
 *
 * <p>By default the target databases must not exist or be empty; otherwise the restore fails before
 * changing anything, naming what is in the way. The server must allow {@code local_infile}.
 *
 * <p>Immutable and thread-safe; each {@link #restore} opens and closes its own connections.
 */
public final class MySqlRestorer implements Restorer {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlRestorer.class);
  private static final Pattern OBJECT_NAME =
      Pattern.compile("\\b(VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT)\\s+(`(?:[^`]|``)+`|[\\w$]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern TRIGGER_TABLE =
      Pattern.compile("\\bTRIGGER\\s+(?:`(?:[^`]|``)+`|[\\w$]+)\\s+(?:BEFORE|AFTER)\\s+\\w+(?:\\s+OR\\s+\\w+)*"
          + "\\s+ON\\s+(`(?:[^`]|``)+`|[\\w$]+)",
          Pattern.CASE_INSENSITIVE);
  private static final String IDENT = "(`(?:[^`]|``)+`|\"(?:[^\"]|\"\")+\"|[\\w$\\x{80}-\\x{FFFF}]+)";
  /** A CREATE TRIGGER's name and table, each optionally qualified by a database (SHOW CREATE TRIGGER keeps them as written). */
  private static final Pattern TRIGGER_HEADER = Pattern.compile("^(CREATE\\b.*?\\bTRIGGER\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)(?:" + IDENT
      + "\\s*\\.\\s*)?"
      + IDENT + "(\\s+(?:BEFORE|AFTER)\\s+\\w+(?:\\s+OR\\s+\\w+)*\\s+ON\\s+)(?:" + IDENT + "\\s*\\.\\s*)?" + IDENT,
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final String ACCOUNT_PART = "(`(?:[^`]|``)*`|'(?:[^'\\\\]|''|\\\\.)*'|[\\w.%-]+)";
  private static final Pattern CREATE_USER = Pattern.compile("^CREATE USER IF NOT EXISTS (" + ACCOUNT_PART + "@"
      + ACCOUNT_PART + ")(.*)$", Pattern.DOTALL);
  /** Tables with at least this much data get their plain secondary keys after the load. */
  private static final long DEFER_KEYS_BYTES = 16L << 20;
  private static final String LOAD_SESSION =
      "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', foreign_key_checks = 0, unique_checks = 0";

  private final String url;
  private final String user;
  private final Secret password;
  private final Map<String, String> renames;
  private final List<String> includeDatabases;
  private final List<String> includeTables;
  private final boolean allowNonEmpty;
  private final boolean includeUsers;
  private final boolean eventsDisabled;
  private final int threads;
  private final boolean writeBinlog;

  private MySqlRestorer(Builder b) {
    this.url = b.url;
    this.user = b.user;
    this.password = b.password;
    this.renames = Map.copyOf(b.renames);
    this.includeDatabases = List.copyOf(b.includeDatabases);
    this.includeTables = List.copyOf(b.includeTables);
    this.allowNonEmpty = b.allowNonEmpty;
    this.includeUsers = b.includeUsers;
    this.eventsDisabled = b.eventsDisabled;
    this.threads = b.threads;
    this.writeBinlog = b.writeBinlog;
  }

  /** Starts a builder; {@link Builder#url} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns {@code mysql}. */
  @Override
  public String type() {
    return "mysql";
  }

  /** What a snapshot holds for one database. */
  private static final class DbFiles {
    final String name;
    final Map<String, String> scripts = new HashMap<>();
    final Map<String, TableFiles> tables = new TreeMap<>();

    DbFiles(String name) {
      this.name = name;
    }
  }

  /** What a snapshot holds for one table. */
  private static final class TableFiles {
    final String name;
    String schema;
    final List<EntryMetadata> data = new ArrayList<>();

    TableFiles(String name) {
      this.name = name;
    }
  }

  /** A database to restore: its files, its target name, and the chosen tables. */
  private record DbPlan(DbFiles files, String target, List<TableFiles> tables, boolean whole) {}

  /**
   * Restores {@code input} and verifies every restored table.
   *
   * @throws RestoreException if a target database is not empty (and that is not allowed), the server
   *     refuses the connection or {@code local_infile}, a chosen database or table is not in the
   *     snapshot, or a statement or load fails (naming the file)
   */
  @Override
  public RestoreResult restore(RestoreInput input) throws IOException {
    Map<String, DbFiles> snapshot = new TreeMap<>();
    String usersPath = null;
    for (EntryMetadata e : input.entries()) {
      if (e.type() != EntryType.FILE) {
        continue;
      }
      String[] seg = e.path().split("/");
      if (seg.length == 1 && seg[0].equals(Layout.USERS)) {
        usersPath = e.path();
      } else if (seg.length == 2) {
        String db = Names.decodeSegment(seg[0]);
        snapshot.computeIfAbsent(db, DbFiles::new).scripts.put(seg[1], e.path());
      } else if (seg.length == 4 && seg[1].equals(Layout.TABLES)) {
        String db = Names.decodeSegment(seg[0]);
        TableFiles t = snapshot.computeIfAbsent(db, DbFiles::new).tables
            .computeIfAbsent(Names.decodeSegment(seg[2]), TableFiles::new);
        if (seg[3].equals(Layout.SCHEMA)) {
          t.schema = e.path();
        } else if (seg[3].endsWith(Layout.DATA_SUFFIX)) {
          t.data.add(e);
        }
      }
    }
    List<DbPlan> plans = plan(snapshot);
    List<String[]> deferred = new ArrayList<>();
    AtomicLong bytes = new AtomicLong();
    AtomicLong entries = new AtomicLong();
    try (Connection control = connect()) {
      checkServer(control);
      checkTargets(control, plans);
      try (Statement st = control.createStatement()) {
        st.execute(LOAD_SESSION);
        for (DbPlan p : plans) {
          String create = SqlScript.parse(read(input, p.files.scripts.get(Layout.DATABASE), bytes, entries)).get(0);
          int cs = create.indexOf(" CHARACTER SET ");
          st.execute("CREATE DATABASE IF NOT EXISTS " + Names.quote(p.target) + (cs < 0 ? "" : create.substring(cs)));
          st.execute("USE " + Names.quote(p.target));
          for (TableFiles t : p.tables) {
            if (allowNonEmpty) {
              st.execute("DROP TABLE IF EXISTS " + Names.quote(t.name));
            }
            createTable(st, input, t, p.target, bytes, entries, deferred);
          }
        }
      }
      long t0 = System.nanoTime();
      load(input, plans, bytes, entries);
      long t1 = System.nanoTime();
      addDeferredKeys(deferred);
      long t2 = System.nanoTime();
      try (Statement st = control.createStatement()) {
        for (DbPlan p : plans) {
          st.execute("USE " + Names.quote(p.target));
          for (String script : List.of(Layout.ROUTINES, Layout.VIEWS, Layout.TRIGGERS, Layout.EVENTS)) {
            String path = p.files.scripts.get(script);
            if (path != null && (p.whole || script.equals(Layout.TRIGGERS))) {
              runObjects(st, input, path, p, bytes, entries);
            }
          }
        }
      }
      long t3 = System.nanoTime();
      List<VerificationResult> results = new ArrayList<>(verify(input, plans));
      LOG.info("MySQL restore phases: data {} ms, deferred keys of {} tables {} ms, verification {} ms",
          (t1 - t0) / 1_000_000, deferred.size(), (t2 - t1) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
      if (includeUsers && usersPath != null) {
        results.add(restoreUsers(control, input, usersPath, bytes, entries));
      }
      RestoreResult result = new RestoreResult(input.sourceName(), "mysql:" + Connections.redact(url),
          entries.get(), bytes.get(), results);
      LOG.info("MySQL restore into {}: {} databases, {} tables verified, all ok: {}", Connections.redact(url),
          plans.size(), results.size(), result.verified());
      return result;
    } catch (SQLException e) {
      throw new RestoreException(Connections.explain(e, url, user, "the restore"), e);
    }
  }

  private List<DbPlan> plan(Map<String, DbFiles> snapshot) {
    for (String inc : includeDatabases) {
      if (!Names.isGlob(inc) && !snapshot.containsKey(inc)) {
        throw new RestoreException("database '" + inc + "' chosen for the restore is not in the snapshot; it holds "
            + snapshot.keySet());
      }
    }
    for (String from : renames.keySet()) {
      if (!snapshot.containsKey(from)) {
        throw new RestoreException("database '" + from + "' to be renamed is not in the snapshot; it holds "
            + snapshot.keySet());
      }
    }
    for (String inc : includeTables) {
      if (!Names.isGlob(inc)) {
        int dot = inc.indexOf('.');
        DbFiles db = dot < 0 ? null : snapshot.get(inc.substring(0, dot));
        if (db == null || !db.tables.containsKey(inc.substring(dot + 1))) {
          throw new RestoreException("table '" + inc + "' chosen for the restore is not in the snapshot;"
              + " name tables as database.table");
        }
      }
    }
    List<DbPlan> plans = new ArrayList<>();
    for (DbFiles db : snapshot.values()) {
      if (!includeDatabases.isEmpty() && !Names.matchesAny(includeDatabases, db.name)) {
        continue;
      }
      if (db.scripts.get(Layout.DATABASE) == null) {
        // lost (a snapshot written anew by 'repair snapshots'): the others are restored, and this one's
        // tables are reported MISSING against what was recorded at backup time
        LOG.warn("the snapshot has no {} for database '{}'; it is not restored", Layout.db(db.name, Layout.DATABASE),
            db.name);
        continue;
      }
      List<TableFiles> tables = new ArrayList<>();
      for (TableFiles t : db.tables.values()) {
        if (includeTables.isEmpty() || Names.matchesAny(includeTables, db.name + "." + t.name)) {
          if (t.schema == null) {
            LOG.warn("the snapshot has data but no schema.sql for table {}; it is not restored",
                Names.quote(db.name, t.name));
            continue;
          }
          tables.add(t);
        }
      }
      if (!includeTables.isEmpty() && tables.isEmpty()) {
        continue;
      }
      plans.add(new DbPlan(db, renames.getOrDefault(db.name, db.name), tables, includeTables.isEmpty()));
    }
    if (plans.isEmpty()) {
      throw new RestoreException("nothing to restore: no database of the snapshot " + snapshot.keySet()
          + " matches the chosen databases " + includeDatabases + " and tables " + includeTables);
    }
    return plans;
  }

  private Connection connect() {
    try {
      Connection c = Connections.open(url, user, password, true);
      if (!writeBinlog) {
        try (Statement st = c.createStatement()) {
          st.execute("SET SESSION sql_log_bin = 0");
        } catch (SQLException e) {
          c.close();
          throw new RestoreException(Connections.explain(e, url, user, "turning the binlog off for the restore"
              + " (writeBinlog(false) needs the SUPER or BINLOG ADMIN privilege)"), e);
        }
      }
      return c;
    } catch (SQLException e) {
      throw new RestoreException(Connections.explain(e, url, user, "connecting"), e);
    }
  }

  private void checkServer(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new RestoreException("MySQL server " + Connections.redact(url) + " has local_infile OFF, which the"
            + " restore's LOAD DATA LOCAL INFILE needs: run SET GLOBAL local_infile = 1 (or start it with"
            + " --local-infile=1) and retry");
      }
    }
  }

  /** Fails before any change when a target database holds something, unless that is allowed. */
  private void checkTargets(Connection c, List<DbPlan> plans) throws SQLException {
    if (allowNonEmpty) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (DbPlan p : plans) {
      List<String> found = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT CONCAT(LOWER(TABLE_TYPE), ' ', TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
              + " UNION ALL SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES"
              + " WHERE ROUTINE_SCHEMA = ? UNION ALL SELECT CONCAT('event ', EVENT_NAME) FROM information_schema.EVENTS"
              + " WHERE EVENT_SCHEMA = ? LIMIT 6")) {
        ps.setString(1, p.target);
        ps.setString(2, p.target);
        ps.setString(3, p.target);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
      if (!found.isEmpty()) {
        problems.add("database " + Names.quote(p.target) + " holds " + String.join(", ", found.subList(0, Math.min(5, found.size())))
            + (found.size() > 5 ? ", ..." : ""));
      }
    }
    if (!problems.isEmpty()) {
      throw new RestoreException("refusing to restore into MySQL server " + Connections.redact(url) + ": "
          + String.join("; ", problems) + ". Nothing was changed. Restore under another name (renameDatabase),"
          + " drop the database first, or allow it with allowNonEmpty(true), which replaces the snapshot's objects");
    }
  }

  private void load(RestoreInput input, List<DbPlan> plans, AtomicLong bytes, AtomicLong entries)
      throws SQLException, IOException {
    record LoadTask(String db, String sourceDb, TableFiles table, EntryMetadata file) {}
    List<LoadTask> tasks = new ArrayList<>();
    for (DbPlan p : plans) {
      for (TableFiles t : p.tables) {
        for (EntryMetadata f : t.data) {
          tasks.add(new LoadTask(p.target, p.files.name, t, f));
        }
      }
    }
    tasks.sort(Comparator.comparingLong((LoadTask t) -> t.file.size()).reversed());
    ConcurrentLinkedQueue<LoadTask> queue = new ConcurrentLinkedQueue<>(tasks);
    Map<String, TableDef> defs = new ConcurrentHashMap<>();
    AtomicBoolean failed = new AtomicBoolean();
    int n = Math.max(1, Math.min(threads, tasks.size()));
    ExecutorService pool = ParallelDumper.pool(n, "cairn-mysql-load");
    Set<Connection> historyOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(LOAD_SESSION);
            LoadTask task;
            while (!failed.get() && (task = queue.poll()) != null) {
              String key = task.db + "\0" + task.table.name;
              TableDef def = defs.get(key);
              if (def == null) {
                def = TableDef.read(c, task.db, task.table.name, v1(input),
                    history(input, task.sourceDb, task.table.name));
                defs.put(key, def);
              }
              if (def.versioned() && historyOn.add(c)) {
                // a system-versioned table's history goes back with its row start and end times
                try {
                  st.execute("SET SESSION system_versioning_insert_history = 1");
                } catch (SQLException e) {
                  throw new RestoreException(Connections.explain(e, url, user, "restoring the history of the"
                      + " system-versioned table " + Names.quote(task.db, task.table.name) + " (MariaDB 10.11 or"
                      + " later can; restore into such a server)"), e);
                }
              }
              try (CountingStream in = new CountingStream(input.open(task.file.path()))) {
                st.unwrap(JdbcStatement.class).setLocalInfileInputStream(in);
                st.execute(def.loadStatement("'" + Layout.dataFile(0) + "'", Names.quote(task.db, task.table.name)));
                long stored = st.getUpdateCount();
                if (stored != in.lines) {
                  throw new RestoreException("loading " + task.file.path() + " into " + Names.quote(task.db, task.table.name)
                      + " stored " + stored + " of " + in.lines + " rows: " + warnings(st)
                      + "; is the table already holding rows with the same keys?");
                }
                bytes.addAndGet(in.bytes);
                entries.incrementAndGet();
              } catch (SQLException | RuntimeException | IOException e) {
                failed.set(true);
                if (e instanceof SQLException s) {
                  throw new RestoreException(Connections.explain(s, url, user, "loading " + task.file.path()
                      + " into " + Names.quote(task.db, task.table.name)), s);
                }
                throw e;
              }
            }
          }
          return null;
        }));
      }
      ParallelDumper.await(futures, "loading tables");
    } finally {
      pool.shutdownNow();
    }
  }

  private static String warnings(Statement st) {
    try (ResultSet rs = st.executeQuery("SHOW WARNINGS LIMIT 3")) {
      List<String> w = new ArrayList<>();
      while (rs.next()) {
        w.add(rs.getString(3));
      }
      return w.isEmpty() ? "no warnings" : String.join("; ", w);
    } catch (SQLException e) {
      return "warnings unavailable";
    }
  }

  /** SHOW CREATE EVENT's state before the body: ON COMPLETION [NOT] PRESERVE, then ENABLE or DISABLE [ON SLAVE]. */
  private static final Pattern EVENT_STATE = Pattern.compile(
      "^(CREATE\\b.*?\\bEVENT\\b.*?\\bON\\s+COMPLETION\\s+(?:NOT\\s+)?PRESERVE\\s+)(ENABLE|DISABLE(?:\\s+ON\\s+(?:SLAVE|REPLICA))?)\\b",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /** {@code statement} (a CREATE EVENT, or SET statements around it) with the event disabled; null to leave out. */
  static String disabledEvent(String statement) {
    if (!statement.trim().toUpperCase(java.util.Locale.ROOT).startsWith("CREATE")) {
      return statement;   // the script's SET sql_mode, time_zone, ... statements
    }
    Matcher m = EVENT_STATE.matcher(statement.trim());
    if (!m.find()) {
      LOG.warn("event not created: its state is not where SHOW CREATE EVENT puts it: {}", SqlScript.abbreviate(statement));
      return null;
    }
    return m.group(1) + "DISABLE" + statement.trim().substring(m.end());
  }

  /** {@code statement} with the trigger's name and table no longer qualified by database {@code db}. */
  static String unqualifiedTrigger(String statement, String db) {
    Matcher m = TRIGGER_HEADER.matcher(statement);
    if (!m.find()) {
      return statement;
    }
    String nameDb = m.group(2);
    String tableDb = m.group(5);
    if ((nameDb != null && !unquoteIdent(nameDb).equals(db)) || (tableDb != null && !unquoteIdent(tableDb).equals(db))) {
      throw new RestoreException("trigger " + m.group(3) + " of database " + Names.quote(db) + " names another"
          + " database (" + SqlScript.abbreviate(statement) + "); it is not restored");
    }
    return m.group(1) + m.group(3) + m.group(4) + m.group(6) + statement.substring(m.end());
  }

  /** Runs a routines/views/triggers/events script, retrying views whose dependencies come later. */
  private void runObjects(Statement st, RestoreInput input, String path, DbPlan p, AtomicLong bytes,
      AtomicLong entries) throws IOException, SQLException {
    // views carry no sql_mode of their own: they were printed under sql_mode = '' and must be parsed
    // under it, not under whatever the previous routine, trigger or event script left in this session
    st.execute("SET SESSION sql_mode = ''");
    List<String> pending = SqlScript.parse(read(input, path, bytes, entries));
    if (path.endsWith(Layout.TRIGGERS)) {
      // a trigger created as CREATE TRIGGER db.trg ... ON db.t names its database: created as it is, it
      // would go to the original database, not to the (renamed) target this session uses
      pending = pending.stream().map(s -> unqualifiedTrigger(s, p.files.name)).toList();
    }
    if (eventsDisabled && path.endsWith(Layout.EVENTS)) {
      pending = pending.stream().map(MySqlRestorer::disabledEvent).filter(java.util.Objects::nonNull).toList();
    }
    if (!p.whole) {
      List<String> names = p.tables.stream().map(t -> t.name).toList();
      pending = pending.stream().filter(s -> {
        Matcher m = TRIGGER_TABLE.matcher(s);
        return !m.find() || names.contains(unquote(m.group(1)));
      }).toList();
    }
    while (!pending.isEmpty()) {
      List<String> retry = new ArrayList<>();
      SQLException last = null;
      for (String s : pending) {
        try {
          if (allowNonEmpty) {
            Matcher m = OBJECT_NAME.matcher(s);
            if (s.startsWith("CREATE") && m.find()) {
              st.execute("DROP " + m.group(1) + " IF EXISTS " + m.group(2));
            }
          }
          st.execute(s);
        } catch (SQLException e) {
          if (e.getErrorCode() == 1146 && path.endsWith(Layout.VIEWS)) {
            retry.add(s);
            last = e;
          } else {
            throw new RestoreException(Connections.explain(e, url, user, "running " + path + " in database "
                + Names.quote(p.target) + " (statement: " + SqlScript.abbreviate(s) + ")"), e);
          }
        }
      }
      if (retry.size() == pending.size()) {
        throw new RestoreException(Connections.explain(last, url, user, "creating the views of " + path), last);
      }
      pending = retry;
    }
  }

  /**
   * Runs the users script statement by statement; statements the server refuses (e.g. a GRANT PROXY
   * the restoring user may not give) are reported in the result, not fatal: the data is restored.
   */
  private VerificationResult restoreUsers(Connection c, RestoreInput input, String path, AtomicLong bytes,
      AtomicLong entries) throws IOException, SQLException {
    List<String> statements = SqlScript.parse(read(input, path, bytes, entries));
    List<String> failed = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      String current = "";
      try (ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
        if (rs.next()) {
          current = rs.getString(1);
        }
      }
      for (String s : statements) {
        List<String> run = new ArrayList<>();
        Matcher m = CREATE_USER.matcher(s);
        if (m.find() && !(unquoteAny(m.group(2)) + "@" + unquoteAny(m.group(3))).equals(current)) {
          // CREATE USER IF NOT EXISTS would leave an existing account as it is (its password, lock, limits,
          // roles, broader grants): the account is dropped and created as the snapshot has it. If the drop
          // is refused (MySQL 8: the account is the definer of stored objects), it is reported
          run.add("DROP USER IF EXISTS " + m.group(1));
        }
        run.add(s);
        for (String r : run) {
          try {
            st.execute(r);
          } catch (SQLException e) {
            failed.add(SqlScript.abbreviate(r) + " (" + e.getMessage() + ")");
          }
        }
      }
    }
    long ok = statements.size() - failed.size();
    return new VerificationResult("users and grants", failed.isEmpty() ? VerificationResult.Status.OK
        : VerificationResult.Status.MISMATCH, statements.size(), ok, "", "",
        failed.isEmpty() ? "" : failed.size() + " statements refused: " + String.join("; ", failed));
  }

  /**
   * Runs a table's schema.sql; for a table with at least {@link #DEFER_KEYS_BYTES} of data, plain
   * secondary keys are left out of the CREATE TABLE and added after the load (InnoDB then builds each
   * index by sorting once instead of inserting into it row by row).
   */
  private void createTable(Statement st, RestoreInput input, TableFiles t, String target, AtomicLong bytes,
      AtomicLong entries, List<String[]> deferred) throws IOException {
    long size = t.data.stream().mapToLong(EntryMetadata::size).sum();
    for (String s : SqlScript.parse(read(input, t.schema, bytes, entries))) {
      String[] split = size >= DEFER_KEYS_BYTES && s.startsWith("CREATE TABLE") ? deferKeys(s, t.name) : null;
      try {
        st.execute(split == null ? s : split[0]);
      } catch (SQLException e) {
        throw new RestoreException(Connections.explain(e, url, user, "running " + t.schema + " into " + target
            + " (statement: " + SqlScript.abbreviate(s) + ")"), e);
      }
      if (split != null) {
        deferred.add(new String[] {target, split[1], t.schema});
      }
    }
  }

  /**
   * Splits a {@code SHOW CREATE TABLE} statement into the statement without its plain {@code KEY} lines
   * and an {@code ALTER TABLE ... ADD KEY ...} that adds them back in the same order, or returns null
   * when there is nothing to defer or the table has foreign keys (which need their indexes).
   */
  static String[] deferKeys(String create, String table) {
    String[] lines = create.split("\n", -1);
    int close = -1;
    for (int i = lines.length - 1; i > 0; i--) {
      if (lines[i].startsWith(")")) {
        close = i;
        break;
      }
    }
    if (close < 0 || create.contains("FOREIGN KEY")) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 1; i < close; i++) {
      String def = lines[i].endsWith(",") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (def.startsWith("  KEY `")) {
        keys.add("ADD " + def.strip());
      } else {
        kept.add(def);
      }
    }
    if (keys.isEmpty() || kept.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(lines[0]).append('\n');
    sb.append(String.join(",\n", kept)).append('\n');
    for (int i = close; i < lines.length; i++) {
      sb.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
    }
    return new String[] {sb.toString(), "ALTER TABLE " + Names.quote(table) + " " + String.join(", ", keys)};
  }

  /** Adds the deferred keys, several tables at once. */
  private void addDeferredKeys(List<String[]> deferred) throws SQLException, IOException {
    if (deferred.isEmpty()) {
      return;
    }
    ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>(deferred);
    int n = Math.min(threads, deferred.size());
    ExecutorService pool = ParallelDumper.pool(n, "cairn-mysql-index");
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> {
          try (Connection c = connect(); Statement st = c.createStatement()) {
            String[] job;
            while ((job = queue.poll()) != null) {
              st.execute("USE " + Names.quote(job[0]));
              try {
                st.execute(job[1]);
              } catch (SQLException e) {
                throw new RestoreException(Connections.explain(e, url, user, "adding the secondary keys of "
                    + job[2] + " (" + SqlScript.abbreviate(job[1]) + ")"), e);
              }
            }
          }
          return null;
        }));
      }
      ParallelDumper.await(futures, "adding secondary keys");
    } finally {
      pool.shutdownNow();
    }
  }

  /** An identifier as SHOW CREATE TRIGGER wrote it: backticks, or double quotes under ANSI_QUOTES. */
  private static String unquoteIdent(String identifier) {
    if (identifier.startsWith("\"")) {
      return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
    }
    return unquote(identifier);
  }

  private static String unquoteAny(String part) {
    if (part.startsWith("'")) {
      return part.substring(1, part.length() - 1).replace("''", "'");
    }
    return unquote(part);
  }

  private static String unquote(String identifier) {
    return identifier.startsWith("`") ? identifier.substring(1, identifier.length() - 1).replace("``", "`") : identifier;
  }

  private static String read(RestoreInput input, String path, AtomicLong bytes, AtomicLong entries) throws IOException {
    try (InputStream in = input.open(path)) {
      byte[] b = in.readAllBytes();
      bytes.addAndGet(b.length);
      entries.incrementAndGet();
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /** Whether table {@code db.table} of the snapshot was dumped with its history (a system-versioned table). */
  private static boolean history(RestoreInput input, String db, String table) {
    return input.verifications().stream().anyMatch(v -> db.equals(v.attributes().get("database"))
        && table.equals(v.attributes().get("table")) && "true".equals(v.attributes().get("history")));
  }

  /** True for a snapshot taken before row checksums v2: its data files have the columns v1 dumped. */
  private static boolean v1(RestoreInput input) {
    return input.verifications().stream()
        .anyMatch(v -> RowChecksum.ALGORITHM_V1.equals(v.attributes().get("algorithm")));
  }

  private List<VerificationResult> verify(RestoreInput input, List<DbPlan> plans) throws SQLException, IOException {
    Map<String, Verification> expected = new LinkedHashMap<>();
    for (Verification v : input.verifications()) {
      expected.put(v.attributes().getOrDefault("database", "") + "\0" + v.attributes().getOrDefault("table", ""), v);
    }
    Map<TableDef, Verification> toCheck = new LinkedHashMap<>();
    List<VerificationResult> results = new ArrayList<>();
    List<Connection> conns = new ArrayList<>();
    try {
      conns.add(connect());
      for (DbPlan p : plans) {
        for (TableFiles t : p.tables) {
          Verification v = expected.get(p.files.name + "\0" + t.name);
          if (v == null) {
            continue;
          }
          TableDef def = TableDef.read(conns.get(0), p.target, t.name,
              RowChecksum.ALGORITHM_V1.equals(v.attributes().get("algorithm")),
              "true".equals(v.attributes().get("history")));
          if (def.columns().isEmpty()) {
            results.add(VerificationResult.missing(v));
          } else {
            toCheck.put(def, v);
          }
        }
      }
      // a table recorded at backup time whose files are not in the snapshot any more (left out by 'repair
      // snapshots', or by hand) did not come back: it is reported, not silently left out of the count
      Set<String> present = new HashSet<>();
      plans.forEach(p -> p.tables.forEach(t -> present.add(p.files.name + "\0" + t.name)));
      for (Map.Entry<String, Verification> e : expected.entrySet()) {
        String db = e.getValue().attributes().getOrDefault("database", "");
        String table = e.getValue().attributes().getOrDefault("table", "");
        boolean wanted = (includeDatabases.isEmpty() || Names.matchesAny(includeDatabases, db))
            && (includeTables.isEmpty() || Names.matchesAny(includeTables, db + "." + table));
        if (wanted && !present.contains(e.getKey())) {
          results.add(VerificationResult.missing(e.getValue()));
        }
      }
      while (conns.size() < Math.max(1, Math.min(threads, toCheck.size()))) {
        conns.add(connect());
      }
      Map<TableDef, RowChecksum> actual = new ConcurrentHashMap<>();
      ParallelDumper.run(conns, new ArrayList<>(toCheck.keySet()), 200_000, task -> new ParallelDumper.TaskSink() {
        @Override
        public void line(byte[] buffer, int length) {}

        @Override
        public void close() {}
      }, actual::put);
      for (Map.Entry<TableDef, Verification> e : toCheck.entrySet()) {
        RowChecksum sum = actual.get(e.getKey());
        results.add(VerificationResult.compare(e.getValue(), sum.rows(), sum.value()));
      }
    } finally {
      for (Connection c : conns) {
        c.close();
      }
    }
    results.sort(Comparator.comparing(VerificationResult::item));
    return results;
  }

  /** Counts bytes and newlines (one per row: newlines inside values are escaped) as the server reads. */
  private static final class CountingStream extends FilterInputStream {
    long bytes;
    long lines;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bytes++;
        if (b == '\n') {
          lines++;
        }
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      for (int i = 0; i < n; i++) {
        if (b[off + i] == '\n') {
          lines++;
        }
      }
      if (n > 0) {
        bytes += n;
      }
      return n;
    }
  }

  /** Builds a {@link MySqlRestorer}. Mutable, not thread-safe. */
  public static final class Builder {
    private String url;
    private String user;
    private Secret password;
    private final Map<String, String> renames = new LinkedHashMap<>();
    private final List<String> includeDatabases = new ArrayList<>();
    private final List<String> includeTables = new ArrayList<>();
    private boolean allowNonEmpty;
    private boolean includeUsers;
    private boolean eventsDisabled;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private boolean writeBinlog = true;

    private Builder() {}

    /**
     * Whether the restore's statements and rows go to the target server's binlog (and so to its
     * replicas); default true. {@code false} sets {@code sql_log_bin = 0} on the restore's sessions (as
     * myloader does by default), which makes large loads faster but leaves replicas without the data;
     * it needs the SUPER or BINLOG ADMIN privilege.
     */
    public Builder writeBinlog(boolean write) {
      this.writeBinlog = write;
      return this;
    }

    /** The JDBC URL of the target server, e.g. {@code jdbc:mysql://db:3306/}. Required. */
    public Builder url(String url) {
      this.url = Connections.checkUrl(url);
      return this;
    }

    /** The user name; default: whatever the URL says. */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /** The password; default: whatever the URL says. */
    public Builder password(Secret password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Restores database {@code from} of the snapshot under the name {@code to}. */
    public Builder renameDatabase(String from, String to) {
      if (from == null || from.isEmpty() || to == null || to.isEmpty()) {
        throw new IllegalArgumentException("renameDatabase needs two non-empty names");
      }
      renames.put(from, to);
      return this;
    }

    /** Restores only these databases of the snapshot (names or globs); default all. */
    public Builder includeDatabases(String... patterns) {
      includeDatabases.addAll(List.of(patterns));
      return this;
    }

    /**
     * Restores only these tables, as {@code database.table} names or globs of the snapshot's names
     * (their triggers come along; views, routines and events do not).
     */
    public Builder includeTables(String... patterns) {
      includeTables.addAll(List.of(patterns));
      return this;
    }

    /**
     * Allows target databases that already hold objects: the snapshot's tables, views, routines, triggers
     * and events that exist are dropped and recreated, other objects are left alone. Default false:
     * such a restore is refused before anything changes.
     */
    public Builder allowNonEmpty(boolean allow) {
      this.allowNonEmpty = allow;
      return this;
    }

    /**
     * Creates the snapshot's events disabled, so that none runs on the restoring server (a restore drill
     * beside production: an event that names its database writes there); default false, events keep
     * the state they had. An event whose definition does not show its state is then not created.
     */
    public Builder eventsDisabled(boolean disabled) {
      this.eventsDisabled = disabled;
      return this;
    }

    /** Also restores users and grants ({@code @users.sql}) if the snapshot has them; default false. */
    public Builder includeUsers(boolean include) {
      this.includeUsers = include;
      return this;
    }

    /** Parallel load and verification connections; default the number of cores, at least 2. */
    public Builder threads(int threads) {
      this.threads = Connections.checkThreads(threads);
      return this;
    }

    /**
     * Builds the restorer.
     *
     * @throws IllegalStateException if no URL was set
     */
    public MySqlRestorer build() {
      if (url == null) {
        throw new IllegalStateException("MySqlRestorer needs url(...), e.g. jdbc:mysql://db:3306/");
      }
      return new MySqlRestorer(this);
    }
  }
}
