package dev.cairn.backup.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn snapshots}: lists the repository's snapshots, oldest first. */
@Command(name = "snapshots", mixinStandardHelpOptions = true, description = "List snapshots, oldest first (--json: a JSON array).")
final class SnapshotsCommand extends CairnSubcommand {

  @Option(names = "--host", paramLabel = "HOST", description = "Only snapshots taken on HOST.")
  String host;

  @Option(names = "--tag", paramLabel = "TAG", split = ",", description = "Only snapshots with every TAG.")
  List<String> tags = new ArrayList<>();

  @Override
  int run() {
    throw Pending.engine("snapshots");
  }
}
