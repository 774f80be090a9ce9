package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.SnapshotRewrite;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn repair snapshots [SNAPSHOT...] [--forget] [-n]}: writes snapshots anew without what the
 * repository has lost, as restic's {@code repair snapshots} does.
 */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
    description = "Write snapshots anew without what the repository has lost: files with a chunk no pack holds are"
        + " left out, a directory whose listing cannot be read becomes empty. Run 'repair packs' first (with --from"
        + " another copy it may bring the data back). New snapshots are tagged 'repair' and marked incomplete;"
        + " --forget removes the originals, after which prune runs again. Takes the exclusive lock.")
final class RepairSnapshotsCommand extends CairnSubcommand {

  @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
      description = "'latest', snapshot ids or unique prefixes (default: every snapshot).")
  List<String> refs = new ArrayList<>();

  @Option(names = "--forget", description = "Remove each original snapshot once its repaired one is written.")
  boolean forget;

  @Option(names = {"-n", "--dry-run"}, description = "Show what would be left out; write nothing.")
  boolean dryRun;

  @Override
  int run() {
    List<SnapshotRewrite> done;
    try (Repository repo = openRepository(); ProgressDisplay progress = progress("repair snapshots")) {
      done = repo.repairSnapshots(refs, forget, dryRun, progress);
    }
    RewriteOutput.print(output(), done, dryRun, forget);
    return ExitCodes.OK;
  }
}
