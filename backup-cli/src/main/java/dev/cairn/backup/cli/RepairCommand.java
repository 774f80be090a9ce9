package dev.cairn.backup.cli;

import picocli.CommandLine.Command;

/**
 * {@code cairn repair index|packs}: rewrites damaged repository metadata from what storage still holds,
 * and replaces damaged packs from what still reads back and from another copy.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Repair a repository: 'repair index' rewrites the index from the packs in storage, 'repair packs'"
        + " replaces damaged or missing packs (from another copy with --from).",
    subcommands = {RepairIndexCommand.class, RepairPacksCommand.class})
final class RepairCommand extends CairnSubcommand {

  @Override
  int run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.FAILURE;
  }
}
