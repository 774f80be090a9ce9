package dev.cairn.backup.spi;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of one source in a plan file, as a {@link SourceFactory} sees them. Every error made
 * through {@link #error(String, String)} names the file, line and key. Secrets are never inline: a
 * secret setting is a reference to an environment variable or a file, resolved by {@link #secret}.
 */
public interface SourceSettings {

  /** The source's name in the plan. */
  String name();

  /** The keys given (besides {@code name} and {@code type}). */
  Set<String> keys();

  /** A single value, if given. */
  Optional<String> string(String key);

  /** A list of values (a single value counts as a one-item list); empty if not given. */
  List<String> strings(String key);

  /** A duration ({@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} or ISO {@code PT24H}), if given. */
  Optional<Duration> duration(String key);

  /** A path, resolved against the plan file's directory, if given. */
  Optional<Path> path(String key);

  /**
   * A secret given as {@code {env: NAME}} or {@code {file: PATH}}, resolved now.
   *
   * @throws ConfigurationException if it is given inline, the variable is unset or the file unreadable
   */
  Optional<Secret> secret(String key);

  /** An error about {@code key} (or the source as a whole if {@code key} is null), with its location. */
  ConfigurationException error(String key, String message);
}
