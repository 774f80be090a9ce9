package dev.cairn.backup.cli;

import dev.cairn.backup.mysql.MySqlSource;
import dev.cairn.backup.spi.Source;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn backup --mysql JDBC-URL [--mysql-database PATTERN...] [--mysql-exclude PATTERN...]}: a
 * consistent dump of a MySQL or MariaDB server (every non-system database unless chosen), as a source
 * named {@code mysql}.
 */
final class MySqlSourceOptions extends ServerSourceOptions {

  @Mixin MySqlConnectionOptions connection;

  @Option(names = "--mysql-database", paramLabel = "PATTERN", split = ",",
      description = "Back up only databases matching PATTERN (a name or a glob with * and ?; repeatable).")
  List<String> databases = new ArrayList<>();

  @Option(names = "--mysql-exclude", paramLabel = "PATTERN", split = ",",
      description = "Leave out databases matching PATTERN (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Override
  public List<Source> sources() {
    if (!connection.given()) {
      return List.of();
    }
    MySqlSource.Builder b = MySqlSource.builder().url(connection.url)
        .includeDatabases(databases.toArray(String[]::new))
        .excludeDatabases(excludes.toArray(String[]::new));
    connection.login(environment()).apply(b::user, b::password);
    return List.of(b.build());
  }
}
