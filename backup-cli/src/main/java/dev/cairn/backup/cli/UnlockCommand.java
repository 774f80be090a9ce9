package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn unlock [--remove-all]}: removes locks left behind by crashed processes. */
@Command(name = "unlock", mixinStandardHelpOptions = true,
    description = "Remove stale locks left by crashed processes (with --remove-all: every lock).")
final class UnlockCommand extends CairnSubcommand {

  @Option(names = "--remove-all",
      description = "Also remove live locks; only when you are sure no other process uses the repository.")
  boolean removeAll;

  @Override
  int run() {
    int removed;
    try (Repository repo = openRepository()) {
      removed = repo.unlock(removeAll);
    }
    output().message("unlock", Map.of("removed", removed));
    output().info("removed %d %slock%s", removed, removeAll ? "" : "stale ", removed == 1 ? "" : "s");
    return ExitCodes.OK;
  }
}
