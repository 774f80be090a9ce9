package dev.cairn.backup.mysql;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.SourceFactory.ScratchRestorer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a MySQL snapshot into scratch databases for a restore drill and drops them afterwards:
 * every database {@code db} of the snapshot is restored (schema, data, routines, views, triggers, and
 * events created disabled so that none runs during the drill; no users)
 * as {@code <db>_cairn_drill_<yyyyMMddHHmmss>} on the given server — usually the production server,
 * which the drill does not otherwise touch — and verified against the row counts and checksums
 * recorded at backup time; {@link #close()} drops the scratch databases. The user needs the rights to
 * create and drop those databases and {@code local_infile} on the server.
 *
 * <pre>{@code
 * BackupPlan plan = BackupPlan.builder()
 *     ...
 *     .drillRestorer("mysql", dir -> MySqlScratchRestorer.on(url, "backup", password))
 *     .build();
 * }</pre>
 *
 * <p>In plan files the {@code mysql} source type makes one from the source's own settings (or its
 * {@code drill-url}). One instance serves one drill; not thread-safe.
 */
public final class MySqlScratchRestorer implements ScratchRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlScratchRestorer.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final int MAX_IDENTIFIER = 64;

  private final String url;
  private final String user;
  private final Secret password;
  private final String suffix;
  private final List<String> created = new ArrayList<>();
  private boolean closed;

  private MySqlScratchRestorer(String url, String user, Secret password, Clock clock) {
    this.url = Connections.checkUrl(url);
    this.user = user;
    this.password = password;
    this.suffix = "_cairn_drill_" + STAMP.format(clock.instant());
  }

  /**
   * A scratch restorer on the server at {@code url}; {@code user} and {@code password} may be null to
   * take them from the URL.
   */
  public static MySqlScratchRestorer on(String url, String user, Secret password) {
    return on(url, user, password, Clock.systemUTC());
  }

  /** Like {@link #on(String, String, Secret)}, with the clock that dates the scratch databases' names. */
  public static MySqlScratchRestorer on(String url, String user, Secret password, Clock clock) {
    Objects.requireNonNull(url, "url");
    return new MySqlScratchRestorer(url, user, password, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * The scratch name of database {@code db}: {@code <db>_cairn_drill_<time>}; a name too long for 64
   * characters is cut and given 8 hex digits of its SHA-256, so two long names that share a beginning
   * get different scratch databases.
   */
  String scratchName(String db) {
    if (db.length() + suffix.length() <= MAX_IDENTIFIER) {
      return db + suffix;
    }
    String hash;
    try {
      hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(db.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    return db.substring(0, MAX_IDENTIFIER - suffix.length() - 9) + "_" + hash + suffix;
  }

  @Override
  public Restorer restorer() {
    return new Restorer() {
      @Override
      public String type() {
        return "mysql";
      }

      @Override
      public RestoreResult restore(RestoreInput input) throws IOException {
        TreeSet<String> databases = new TreeSet<>();
        for (EntryMetadata e : input.entries()) {
          String[] seg = e.path().split("/");
          if (seg.length >= 2) {
            databases.add(Names.decodeSegment(seg[0]));
          }
        }
        // events created disabled: an event that runs during the drill and names its database would write
        // to production
        MySqlRestorer.Builder b = MySqlRestorer.builder().url(url).includeUsers(false).eventsDisabled(true);
        if (user != null) {
          b.user(user);
        }
        if (password != null) {
          b.password(password);
        }
        for (String db : databases) {
          b.renameDatabase(db, scratchName(db));
          // recorded before the restore, so a restore failing half-way is still cleaned up
          created.add(scratchName(db));
        }
        LOG.info("drill: restoring MySQL databases {} into {}", databases, created);
        return b.build().restore(input);
      }
    };
  }

  @Override
  public String destination() {
    return Connections.redact(url) + " (scratch databases *" + suffix + ")";
  }

  /** The scratch databases made so far. */
  public List<String> databases() {
    return List.copyOf(created);
  }

  /** Drops the scratch databases; idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (created.isEmpty()) {
      return;
    }
    try (Connection c = Connections.open(url, user, password, false); Statement st = c.createStatement()) {
      for (String db : created) {
        st.execute("DROP DATABASE IF EXISTS " + Names.quote(db));
      }
    } catch (SQLException e) {
      throw new RestoreException(Connections.explain(e, url, user, "dropping the drill's scratch databases "
          + created + " (drop them by hand)"), e);
    }
  }
}
