package dev.cairn.backup.cli;

import picocli.CommandLine.Command;

/**
 * {@code cairn repair index|packs|snapshots}: rewrites damaged repository metadata from what storage
 * still holds, replaces damaged packs from what still reads back and from another copy, and writes
 * snapshots anew without what is lost.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
    description = "Repair a repository: 'repair index' rewrites the index from the packs in storage, 'repair packs'"
        + " replaces damaged or missing packs (from another copy with --from), 'repair snapshots' writes snapshots"
        + " anew without what is lost.",
    subcommands = {RepairIndexCommand.class, RepairPacksCommand.class, RepairSnapshotsCommand.class})
final class RepairCommand extends CairnSubcommand {

  @Override
  int run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.FAILURE;
  }
}
