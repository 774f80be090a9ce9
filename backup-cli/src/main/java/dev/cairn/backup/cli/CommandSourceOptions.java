package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.Source;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code cairn backup --stdin-from-command CMD --stdin-filename NAME}: the standard output of a
 * command, stored as one file entry in a source named NAME. The command runs through
 * {@code /bin/sh -c}; if it exits non-zero the backup fails and no snapshot is written.
 */
final class CommandSourceOptions implements SourceOptions {
  private static final String SHELL = "/bin/sh";

  @Option(names = "--stdin-from-command", paramLabel = "CMD",
      description = "Back up the standard output of CMD (run with /bin/sh -c); a non-zero exit fails the"
          + " backup and writes no snapshot.")
  String command;

  @Option(names = "--stdin",
      description = "Back up what is piped into cairn's standard input (e.g. mysqldump ... | cairn backup --stdin"
          + " --stdin-filename db.sql). A producer that fails part-way is not noticed: prefer --stdin-from-command.")
  boolean stdin;

  @Option(names = "--stdin-filename", paramLabel = "NAME", defaultValue = "stdin",
      description = "The file name the command's output or standard input is stored under (default:"
          + " ${DEFAULT-VALUE}).")
  String fileName;

  /** Where --stdin reads from; set by the command before {@link #sources()}. */
  CliEnvironment environment;

  @Override
  public List<Source> sources() {
    if (command == null && !stdin) {
      return List.of();
    }
    if (command != null && stdin) {
      throw new ConfigurationException("give --stdin (read what is piped in) or --stdin-from-command CMD, not both");
    }
    String name = fileName.replaceAll("^/+|/+$", "");
    if (name.isEmpty()) {
      throw new ConfigurationException("--stdin-filename must name a file, got '" + fileName + "'");
    }
    if (stdin) {
      if (environment.terminal().stdinIsTerminal()) {
        throw new ConfigurationException("--stdin reads what is piped into cairn, but standard input is a terminal;"
            + " pipe the data in (e.g. mysqldump ... | cairn backup --stdin) or use --stdin-from-command CMD");
      }
      if (environment.terminal().stdinIsClosed()) {
        throw new ConfigurationException("--stdin reads what is piped into cairn, but standard input is closed;"
            + " pipe the data in or use --stdin-from-command CMD");
      }
      java.io.PushbackInputStream in = new java.io.PushbackInputStream(environment.stdin(), 1);
      try {
        int first = in.read();
        if (first < 0) {
          // a producer that failed at once: an empty 'complete' snapshot would count as a good backup
          throw new ConfigurationException("--stdin read nothing: standard input is empty (did the command"
              + " piping into cairn fail?); no snapshot was written");
        }
        in.unread(first);
      } catch (java.io.IOException e) {
        throw new SourceException("cannot read standard input: " + e.getMessage(), e);
      }
      return List.of(StreamSource.of(name, name, () -> new java.io.FilterInputStream(in) {
        @Override
        public void close() {
          // standard input stays open: the process owns it
        }
      }));
    }
    return List.of(StreamSource.command(name, name, List.of(SHELL, "-c", command)));
  }

  /** A failure of the backup, naming CMD instead of the shell that ran it. */
  SourceException explain(SourceException failure) {
    String message = failure.getMessage();
    if (command == null || message == null || !message.contains("'" + SHELL + "'")) {
      return failure;
    }
    return new SourceException(message.replace("'" + SHELL + "'", "'" + command + "' (run by " + SHELL + " -c)"), failure);
  }
}
