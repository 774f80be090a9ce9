package dev.cairn.backup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn init}: creates a repository, asking for its passphrase twice on a terminal. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new repository at --repo.")
final class InitCommand extends CairnSubcommand {

  @Option(names = "--copy-chunker-params-from", paramLabel = "REPO",
      description = "Use the chunker parameters of repository REPO, so snapshots copied between the two"
          + " deduplicate (reserved: available with the copy command).")
  String copyChunkerParamsFrom;

  @Override
  int run() {
    throw Pending.engine("init");
  }
}
