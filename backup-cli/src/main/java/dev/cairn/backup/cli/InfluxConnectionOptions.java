package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Secret;
import picocli.CommandLine.Option;

/**
 * {@code --influx URL} with 1.x credentials ({@code --influx-user}, {@code CAIRN_INFLUX_PASSWORD}) or 2.x
 * ones ({@code --influx-token} or {@code CAIRN_INFLUX_TOKEN}, {@code --influx-org}), shared by
 * {@code cairn backup} and {@code cairn restore}. A token or an organization means InfluxDB 2.x.
 */
final class InfluxConnectionOptions {
  static final String PASSWORD_VARIABLE = "CAIRN_INFLUX_PASSWORD";
  static final String TOKEN_VARIABLE = "CAIRN_INFLUX_TOKEN";

  @Option(names = "--influx", paramLabel = "URL",
      description = "An InfluxDB server, e.g. http://metrics:8086 (1.x; 2.x with --influx-token and --influx-org).")
  String url;

  @Option(names = "--influx-user", paramLabel = "USER",
      description = "InfluxDB 1.x user; the password comes from $" + PASSWORD_VARIABLE + ".")
  String user;

  @Option(names = "--influx-token", paramLabel = "TOKEN",
      description = "InfluxDB 2.x API token (default: $" + TOKEN_VARIABLE + ", which keeps it out of the process list).")
  String token;

  @Option(names = "--influx-org", paramLabel = "ORG", description = "InfluxDB 2.x organization.")
  String org;

  /** Whether {@code --influx} was given. */
  boolean given() {
    return url != null;
  }

  /** Whether the server is InfluxDB 2.x: a token or an organization was given. */
  boolean v2(CliEnvironment environment) {
    return org != null || token(environment) != null;
  }

  /** The 2.x token; fails with what to set when a 2.x server has none. */
  Secret requireToken(CliEnvironment environment) {
    Secret t = token(environment);
    if (t == null || org == null) {
      throw new ConfigurationException("InfluxDB 2.x needs a token and an organization: pass --influx-org ORG"
          + " and --influx-token TOKEN (or set " + TOKEN_VARIABLE + ")");
    }
    return t;
  }

  private Secret token(CliEnvironment environment) {
    String value = token != null ? token : environment.variable(TOKEN_VARIABLE);
    return value == null ? null : Secret.of(value);
  }

  /** The 1.x password from the environment, or {@code null}; only with {@code --influx-user}. */
  Secret password(CliEnvironment environment) {
    String value = environment.variable(PASSWORD_VARIABLE);
    if (value != null && user == null) {
      throw new ConfigurationException(PASSWORD_VARIABLE + " is set but --influx-user is not: give the user the"
          + " password belongs to, or unset " + PASSWORD_VARIABLE);
    }
    return value == null ? null : Secret.of(value);
  }
}
