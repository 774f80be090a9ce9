package dev.cairn.backup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn ls SNAPSHOT [PATH]}: lists the entries of a snapshot. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List the entries of a snapshot, or of PATH inside it.")
final class LsCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id or a unique prefix of one.")
  String snapshot;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
      description = "Only PATH and what is under it (SOURCE/path/in/source).")
  String path;

  @Option(names = {"-l", "--long"}, description = "Show mode, size and modification time.")
  boolean longFormat;

  @Override
  int run() {
    throw Pending.engine("ls");
  }
}
