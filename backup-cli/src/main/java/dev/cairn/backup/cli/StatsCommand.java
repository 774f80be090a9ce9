package dev.cairn.backup.cli;

import picocli.CommandLine.Command;

/** {@code cairn stats}: sizes of the repository and what deduplication and compression saved. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Show repository sizes and what deduplication and compression saved.")
final class StatsCommand extends CairnSubcommand {

  @Override
  int run() {
    throw Pending.engine("stats");
  }
}
