package dev.cairn.backup.influx;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.SourceFactory.ScratchRestorer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores an InfluxDB 1.x snapshot into scratch databases for a restore drill and drops them
 * afterwards: every database {@code db} of the snapshot is restored (retention policies and points;
 * not its continuous queries, which could write into production) as {@code <db>_cairn_drill_<yyyyMMddHHmmss>} on the given server and verified by
 * the point counts and checksums per measurement and window recorded at backup time; {@link #close()}
 * drops the scratch databases. The user needs the rights to create and drop databases.
 *
 * <pre>{@code
 * BackupPlan plan = BackupPlan.builder()
 *     ...
 *     .drillRestorer("influx", dir -> InfluxScratchRestorer.v1("http://127.0.0.1:8086", null, null))
 *     .build();
 * }</pre>
 *
 * <p>In plan files the {@code influx} source type makes one from the source's settings (1.x only; a
 * 2.x bucket has no scratch destination yet). One instance serves one drill; not thread-safe.
 */
public final class InfluxScratchRestorer implements ScratchRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(InfluxScratchRestorer.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private final String url;
  private final String username;
  private final Secret password;
  private final String suffix;
  private final List<String> created = new ArrayList<>();
  private boolean closed;

  private InfluxScratchRestorer(String url, String username, Secret password, Clock clock) {
    this.url = Objects.requireNonNull(url, "url");
    this.username = username;
    this.password = password;
    this.suffix = "_cairn_drill_" + STAMP.format(clock.instant());
  }

  /** A scratch restorer on the InfluxDB 1.x at {@code url}; {@code username}/{@code password} null without auth. */
  public static InfluxScratchRestorer v1(String url, String username, Secret password) {
    return v1(url, username, password, Clock.systemUTC());
  }

  /** Like {@link #v1(String, String, Secret)}, with the clock that dates the scratch databases' names. */
  public static InfluxScratchRestorer v1(String url, String username, Secret password, Clock clock) {
    return new InfluxScratchRestorer(url, username, password, Objects.requireNonNull(clock, "clock"));
  }

  /** The scratch name of database {@code db}. */
  String scratchName(String db) {
    return db + suffix;
  }

  @Override
  public Restorer restorer() {
    return new Restorer() {
      @Override
      public String type() {
        return "influx";
      }

      @Override
      public RestoreResult restore(RestoreInput input) throws IOException {
        TreeSet<String> databases = new TreeSet<>();
        for (EntryMetadata e : input.entries()) {
          String[] seg = e.path().split("/");
          if (seg.length == 2 && seg[1].equals(Metadata.DATABASE_ENTRY)) {
            databases.add(Names.decode(seg[0]));
          }
        }
        // no continuous queries: one writing INTO another database would write into production
        InfluxRestorer.Builder b = InfluxRestorer.v1(url).continuousQueries(false);
        if (username != null) {
          b.username(username);
        }
        if (password != null) {
          b.password(password);
        }
        for (String db : databases) {
          b.rename(db, scratchName(db));
          // recorded before the restore, so a restore failing half-way is still cleaned up
          created.add(scratchName(db));
        }
        LOG.info("drill: restoring InfluxDB databases {} into {}", databases, created);
        return b.build().restore(input);
      }
    };
  }

  @Override
  public String destination() {
    return url + " (scratch databases *" + suffix + ")";
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
    Influx1Client client = new Influx1Client(url, username, password, Duration.ofMinutes(1));
    for (String db : created) {
      try {
        client.execute(null, "DROP DATABASE " + Names.ident(db));
      } catch (IOException e) {
        throw new RestoreException("dropping the drill's scratch database '" + db + "' on " + client.url()
            + " failed (drop it by hand): " + e.getMessage(), e);
      }
    }
  }
}
