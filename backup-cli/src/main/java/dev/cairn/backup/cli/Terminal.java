package dev.cairn.backup.cli;

import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code cairn} needs from the terminal: whether stderr is one (for live progress) and a prompt
 * for passphrases. Replaced in tests.
 */
public interface Terminal {

  /** True when stderr is an interactive terminal, so a live progress line makes sense. */
  boolean stderrIsTerminal();

  /** True when stdout is an interactive terminal (where {@code cairn dump} writes no archive). */
  default boolean stdoutIsTerminal() {
    return false;
  }

  /** True when stdin is an interactive terminal (where {@code backup --stdin} has nothing to read). */
  default boolean stdinIsTerminal() {
    return false;
  }

  /**
   * Asks for a secret without echo; returns {@code null} when there is no terminal to ask on.
   *
   * @param prompt the text shown before the input, e.g. {@code "enter passphrase for repository: "}
   */
  char[] readPassword(String prompt);

  /** The terminal of this process: {@link System#console()} for prompts. */
  static Terminal system() {
    return new Terminal() {
      @Override
      public boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM")) && System.getProperty("cairn.stderr.tty") == null) {
          return false;
        }
        return isTerminal("cairn.stderr.tty", 2);
      }

      @Override
      public boolean stdoutIsTerminal() {
        return isTerminal("cairn.stdout.tty", 1);
      }

      @Override
      public boolean stdinIsTerminal() {
        return isTerminal("cairn.stdin.tty", 0);
      }

      /** What the launcher says ({@code bin/cairn} tests {@code [ -t fd ]}), else what Linux says. */
      private boolean isTerminal(String property, int fd) {
        String fromLauncher = System.getProperty(property);
        if (fromLauncher != null && !fromLauncher.isEmpty()) {
          return Boolean.parseBoolean(fromLauncher);
        }
        try {
          // Linux: the descriptor links to /dev/pts/N or /dev/ttyN when it is a terminal
          String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
          return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
          return System.console() != null;
        }
      }

      @Override
      public char[] readPassword(String prompt) {
        Console console = System.console();
        return console == null ? null : console.readPassword("%s", prompt);
      }
    };
  }
}
