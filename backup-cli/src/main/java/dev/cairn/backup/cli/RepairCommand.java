package dev.cairn.backup.cli;

import picocli.CommandLine.Command;

/** {@code cairn repair index}: rewrites damaged repository metadata from what storage still holds. */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Repair repository metadata: 'repair index' rewrites the index from the packs in storage.",
    subcommands = {RepairIndexCommand.class})
final class RepairCommand extends CairnSubcommand {

  @Override
  int run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.FAILURE;
  }
}
