package dev.cairn.backup.mysql;

import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceFactory;
import dev.cairn.backup.spi.SourceSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mysql} source type of plan files (registered for {@link java.util.ServiceLoader}), and
 * its scratch destination for restore drills: a {@link MySqlScratchRestorer} on the source's server, or
 * on {@code drill-url} if given (e.g. a separate scratch server). Keys: {@code url} (required),
 * {@code user}, {@code password}, {@code databases}, {@code exclude-databases}, {@code tables},
 * {@code exclude-tables}, {@code threads}, {@code lock-wait-timeout}, {@code include-users},
 * {@code drill-url}. Thread-safe.
 */
public final class MySqlSourceFactory implements SourceFactory {
  private static final Set<String> KEYS = Set.of("url", "user", "password", "databases", "exclude-databases",
      "tables", "exclude-tables", "threads", "lock-wait-timeout", "include-users", "drill-url");

  /** For {@link java.util.ServiceLoader}. */
  public MySqlSourceFactory() {}

  @Override
  public String type() {
    return "mysql";
  }

  @Override
  public Set<String> keys() {
    return KEYS;
  }

  @Override
  public Source create(SourceSettings s) {
    try {
      MySqlSource.Builder b = MySqlSource.builder().name(s.name()).url(url(s));
      s.string("user").ifPresent(b::user);
      s.secret("password").ifPresent(b::password);
      array(s, "databases").ifPresent(b::includeDatabases);
      array(s, "exclude-databases").ifPresent(b::excludeDatabases);
      array(s, "tables").ifPresent(b::includeTables);
      array(s, "exclude-tables").ifPresent(b::excludeTables);
      s.string("threads").ifPresent(v -> b.threads(integer(s, "threads", v)));
      s.duration("lock-wait-timeout").ifPresent(b::lockWaitTimeout);
      s.string("include-users").ifPresent(v -> b.includeUsers(Boolean.parseBoolean(v.trim())));
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw s.error(null, e.getMessage());
    }
  }

  /** A scratch database on {@code drill-url}, else on the source's server, with the source's credentials. */
  @Override
  public Optional<ScratchRestorer> scratchRestorer(SourceSettings s, Path scratchDir) {
    String url = s.string("drill-url").orElseGet(() -> url(s));
    return Optional.of(MySqlScratchRestorer.on(url, s.string("user").orElse(null), s.secret("password").orElse(null)));
  }

  private static String url(SourceSettings s) {
    return s.string("url").orElseThrow(() -> s.error("url", "missing required key 'url' (a JDBC URL such as"
        + " jdbc:mysql://127.0.0.1:3306/)"));
  }

  private static Optional<String[]> array(SourceSettings s, String key) {
    List<String> values = s.strings(key);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.toArray(String[]::new));
  }

  private static int integer(SourceSettings s, String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw s.error(key, "expected a whole number, found '" + value + "'");
    }
  }
}
