package dev.cairn.backup.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * The process environment a command runs in: environment variables, the terminal and the raw standard
 * output. Tests pass their own, so commands run in-process without touching the real environment.
 *
 * @param variables environment variables ({@code CAIRN_REPOSITORY}, {@code CAIRN_PASSWORD}, …)
 * @param terminal the terminal for prompts and progress
 * @param stdout standard output as bytes, for commands that write data rather than text
 *     ({@code cairn dump}); text goes through picocli's writer
 * @param stdin standard input as bytes ({@code cairn backup --stdin})
 */
public record CliEnvironment(Map<String, String> variables, Terminal terminal, OutputStream stdout,
    InputStream stdin) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stdin, "stdin");
  }

  /** An environment whose standard input is this process's file descriptor 0. */
  public CliEnvironment(Map<String, String> variables, Terminal terminal, OutputStream stdout) {
    this(variables, terminal, stdout, new FileInputStream(FileDescriptor.in));
  }

  /**
   * An environment whose raw standard output is this process's file descriptor 1 (not
   * {@code System.out}, a PrintStream that swallows write errors: a full disk or a closed pipe must fail
   * the command).
   */
  public CliEnvironment(Map<String, String> variables, Terminal terminal) {
    this(variables, terminal, new FileOutputStream(FileDescriptor.out));
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
