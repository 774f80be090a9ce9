package dev.cairn.backup.plan;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.SourceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A source's settings in a plan file, with locations for messages. */
final class YamlSourceSettings implements SourceSettings {
  private final String name;
  private final YamlNode node;
  private final Path base;

  YamlSourceSettings(String name, YamlNode node, Path base) {
    this.name = name;
    this.node = node;
    this.base = base;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>(node.map().keySet());
    keys.remove("name");
    keys.remove("type");
    return Set.copyOf(keys);
  }

  @Override
  public Optional<String> string(String key) {
    YamlNode n = node.get(key);
    return n == null ? Optional.empty() : Optional.of(n.text());
  }

  /** A command: a list is argv (no shell), a string runs with {@code sh -c} (as checks and hooks). */
  List<String> command(String key) {
    YamlNode n = node.get(key);
    return n == null ? List.of() : PlanFile.argv(n);
  }

  @Override
  public List<String> strings(String key) {
    YamlNode n = node.get(key);
    return n == null ? List.of() : n.strings();
  }

  @Override
  public Optional<Duration> duration(String key) {
    YamlNode n = node.get(key);
    return n == null ? Optional.empty() : Optional.of(PlanFile.duration(n));
  }

  @Override
  public Optional<Path> path(String key) {
    return string(key).map(base::resolve);
  }

  @Override
  public Optional<Secret> secret(String key) {
    YamlNode n = node.get(key);
    // read at first use: 'plan validate' and health checks need no database password
    return n == null ? Optional.empty() : Optional.of(Secret.lazy(PlanFile.secretRef(n, base)));
  }

  @Override
  public ConfigurationException error(String key, String message) {
    YamlNode n = key == null ? null : node.get(key);
    return (n == null ? node : n).error(message);
  }

  @Override
  public String toString() {
    return "settings of source " + name;
  }
}
