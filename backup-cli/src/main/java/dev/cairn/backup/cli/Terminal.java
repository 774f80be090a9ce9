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
   * True when the process was started with stdin closed: then the JVM's own files may take descriptor 0,
   * and reading it would back up one of them.
   */
  default boolean stdinIsClosed() {
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

      @Override
      public boolean stdinIsClosed() {
        if (Boolean.parseBoolean(System.getProperty("cairn.stdin.closed", "false"))) {
          return true; // what the launcher saw before the JVM opened any file
        }
        try {
          // started with descriptor 0 closed, the JVM reuses it for a file of its own (lib/modules, the jar)
          String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
          String javaHome = System.getProperty("java.home", "/nonexistent");
          return target.startsWith(javaHome) || target.endsWith(".jar") || target.endsWith(".jsa");
        } catch (java.nio.file.NoSuchFileException e) {
          return true;
        } catch (Exception e) {
          return false;
        }
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
