package dev.cairn.backup.influx;

import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceFactory;
import dev.cairn.backup.spi.SourceSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code influx} source type of plan files (registered for {@link java.util.ServiceLoader}), and
 * its scratch destination for restore drills: an {@link InfluxScratchRestorer} on the source's server
 * (1.x). Keys: {@code url} (required), {@code version} ({@code 1} default, or {@code 2}),
 * {@code username}, {@code password} (1.x), {@code token}, {@code org} (2.x), {@code databases} (1.x) or
 * {@code buckets} (2.x), {@code measurements}, {@code window}, {@code incremental-horizon}. Thread-safe.
 */
public final class InfluxSourceFactory implements SourceFactory {
  private static final Set<String> KEYS = Set.of("url", "version", "username", "password", "token", "org",
      "databases", "buckets", "measurements", "window", "incremental-horizon");

  /** For {@link java.util.ServiceLoader}. */
  public InfluxSourceFactory() {}

  @Override
  public String type() {
    return "influx";
  }

  @Override
  public Set<String> keys() {
    return KEYS;
  }

  @Override
  public Source create(SourceSettings s) {
    String url = url(s);
    try {
      if (v2(s)) {
        InfluxSource.V2Builder b = InfluxSource.v2(url).name(s.name());
        s.secret("token").ifPresent(b::token);
        s.string("org").ifPresent(b::org);
        array(s, "buckets").ifPresent(b::bucket);
        array(s, "measurements").ifPresent(b::measurement);
        s.duration("window").ifPresent(b::windowSize);
        s.duration("incremental-horizon").ifPresent(b::incrementalHorizon);
        return b.build();
      }
      InfluxSource.V1Builder b = InfluxSource.v1(url).name(s.name());
      s.string("username").ifPresent(b::username);
      s.secret("password").ifPresent(b::password);
      array(s, "databases").ifPresent(b::database);
      array(s, "measurements").ifPresent(b::measurement);
      s.duration("window").ifPresent(b::windowSize);
      s.duration("incremental-horizon").ifPresent(b::incrementalHorizon);
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw s.error(null, e.getMessage());
    }
  }

  /** A scratch database on the source's 1.x server with its credentials; none for 2.x. */
  @Override
  public Optional<ScratchRestorer> scratchRestorer(SourceSettings s, Path scratchDir) {
    if (v2(s)) {
      return Optional.empty();
    }
    return Optional.of(InfluxScratchRestorer.v1(url(s), s.string("username").orElse(null),
        s.secret("password").orElse(null)));
  }

  private static boolean v2(SourceSettings s) {
    String version = s.string("version").orElse("1").trim();
    if (!version.equals("1") && !version.equals("2")) {
      throw s.error("version", "InfluxDB version is 1 or 2, not '" + version + "'");
    }
    return version.equals("2");
  }

  private static String url(SourceSettings s) {
    return s.string("url").orElseThrow(() -> s.error("url", "missing required key 'url' (such as"
        + " http://127.0.0.1:8086)"));
  }

  private static Optional<String[]> array(SourceSettings s, String key) {
    List<String> values = s.strings(key);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.toArray(String[]::new));
  }
}
