package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.influx.InfluxRestorer;
import dev.cairn.backup.mysql.MySqlRestorer;
import dev.cairn.backup.spi.Restorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn restore SNAPSHOT --mysql JDBC-URL [--database NAME[:NEWNAME]...]} and {@code cairn restore
 * SNAPSHOT --influx URL [--influx-db NEW]}: restores a snapshot's database sources into servers instead
 * of directories. Each restorer verifies what it wrote against the row counts, point counts and checksums
 * recorded at backup time; {@link DatabaseRestore} prints that report.
 */
final class DatabaseRestoreOptions {

  @Mixin MySqlConnectionOptions mysql;
  @Mixin InfluxConnectionOptions influx;

  @Option(names = "--database", paramLabel = "NAME[:NEWNAME]", split = ",",
      description = "With --mysql: restore only database NAME of the snapshot, under NEWNAME if given (repeatable;"
          + " default every database, under its own name).")
  List<String> databases = new ArrayList<>();

  @Option(names = "--influx-db", paramLabel = "NEW",
      description = "With --influx: restore the snapshot's database (1.x) or bucket (2.x) under the name NEW.")
  String influxTarget;

  @Option(names = "--allow-non-empty",
      description = "Restore into databases that already hold data (MySQL: the snapshot's objects are dropped and"
          + " recreated, others left alone; InfluxDB: points are added). Default: refused, nothing changed.")
  boolean allowNonEmpty;

  /** Whether a database server was named. */
  boolean given() {
    return mysql.given() || influx.given();
  }

  /** A restorer for each database source of {@code snapshot} that a server was named for, by source name. */
  Map<String, Restorer> restorers(Snapshot snapshot, CliEnvironment environment) {
    Map<String, Restorer> restorers = new LinkedHashMap<>();
    for (SnapshotSource source : snapshot.sources()) {
      if (source.type().equals("mysql") && mysql.given()) {
        restorers.put(source.name(), mysqlRestorer(environment));
      } else if (source.type().equals("influx") && influx.given()) {
        restorers.put(source.name(), influxRestorer(environment));
      }
    }
    requireSource(snapshot, restorers, "mysql", mysql.given(), "--mysql");
    requireSource(snapshot, restorers, "influx", influx.given(), "--influx");
    return restorers;
  }

  private static void requireSource(Snapshot snapshot, Map<String, Restorer> restorers, String type, boolean given,
      String option) {
    boolean found = snapshot.sources().stream().anyMatch(s -> s.type().equals(type));
    if (given && !found) {
      throw new ConfigurationException(option + " was given, but snapshot " + snapshot.id().shortHex()
          + " has no " + type + " source; it has " + snapshot.sources().stream()
              .map(s -> s.name() + " (" + s.type() + ")").toList() + ". Choose a snapshot with 'cairn snapshots'");
    }
  }

  private Restorer mysqlRestorer(CliEnvironment environment) {
    MySqlRestorer.Builder b = MySqlRestorer.builder().url(mysql.url).allowNonEmpty(allowNonEmpty);
    mysql.login(environment).apply(b::user, b::password);
    List<String> names = new ArrayList<>();
    for (String spec : databases) {
      int colon = spec.indexOf(':');
      String name = colon < 0 ? spec : spec.substring(0, colon);
      if (name.isEmpty() || colon == spec.length() - 1) {
        throw new ConfigurationException("--database " + spec + ": write NAME or NAME:NEWNAME");
      }
      names.add(name);
      if (colon >= 0) {
        b.renameDatabase(name, spec.substring(colon + 1));
      }
    }
    if (!names.isEmpty()) {
      b.includeDatabases(names.toArray(String[]::new));
    }
    if (databases.stream().anyMatch(spec -> spec.contains(":"))) {
      // a renamed restore is a copy beside the original, mostly on the same server (a check): its events
      // are created disabled, so that none runs there and, naming its database, writes to the original
      b.eventsDisabled(true);
    }
    return b.build();
  }

  private Restorer influxRestorer(CliEnvironment environment) {
    boolean v2 = influx.v2(environment);
    InfluxRestorer.Builder b = v2 ? InfluxRestorer.v2(influx.url) : InfluxRestorer.v1(influx.url);
    if (v2) {
      b.token(influx.requireToken(environment)).org(influx.org);
    } else {
      if (influx.user != null) {
        b.username(influx.user);
      }
      var password = influx.password(environment);
      if (password != null) {
        b.password(password);
      }
    }
    if (influxTarget != null) {
      b.target(influxTarget);
    }
    return b.allowNonEmpty(allowNonEmpty).build();
  }
}
