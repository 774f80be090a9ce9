package dev.cairn.backup.cli;

import dev.cairn.backup.influx.InfluxSource;
import dev.cairn.backup.spi.Source;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn backup --influx URL [--influx-db NAME...]} (1.x) or {@code --influx URL --influx-org ORG
 * --influx-token TOKEN [--influx-bucket NAME...]} (2.x): a logical export of an InfluxDB as line
 * protocol in daily windows, as a source named {@code influx}.
 */
final class InfluxSourceOptions extends ServerSourceOptions {

  @Mixin InfluxConnectionOptions connection;

  @Option(names = "--influx-db", paramLabel = "NAME", split = ",",
      description = "InfluxDB 1.x: back up only database NAME (repeatable; default every database but _internal).")
  List<String> databases = new ArrayList<>();

  @Option(names = "--influx-bucket", paramLabel = "NAME", split = ",",
      description = "InfluxDB 2.x: back up only bucket NAME (repeatable; default every bucket of the organization).")
  List<String> buckets = new ArrayList<>();

  @Override
  public List<Source> sources() {
    if (!connection.given()) {
      return List.of();
    }
    if (connection.v2(environment())) {
      return List.of(InfluxSource.v2(connection.url).token(connection.requireToken(environment()))
          .org(connection.org).bucket(buckets.toArray(String[]::new)).build());
    }
    InfluxSource.V1Builder b = InfluxSource.v1(connection.url).database(databases.toArray(String[]::new));
    if (connection.user != null) {
      b.username(connection.user);
    }
    var password = connection.password(environment());
    if (password != null) {
      b.password(password);
    }
    return List.of(b.build());
  }
}
