package dev.cairn.backup.cli;

import java.util.Map;
import java.util.Objects;

/**
 * The process environment a command runs in: environment variables and the terminal. Tests pass their
 * own, so commands run in-process without touching the real environment.
 *
 * @param variables environment variables ({@code CAIRN_REPOSITORY}, {@code CAIRN_PASSWORD}, …)
 * @param terminal the terminal for prompts and progress
 */
public record CliEnvironment(Map<String, String> variables, Terminal terminal) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(terminal, "terminal");
  }

  /** The environment of this process. */
  public static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), Terminal.system());
  }

  /** The value of variable {@code name}, or {@code null} if unset or empty. */
  public String variable(String name) {
    String value = variables.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
