package dev.cairn.backup.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn restore SNAPSHOT|latest --target DIR}: restores a snapshot, every chunk verified. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a snapshot (or chosen paths of it) into a directory.")
final class RestoreCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id or a unique prefix of one.")
  String snapshot;

  @Option(names = {"-t", "--target"}, paramLabel = "DIR", required = true,
      description = "Directory to restore into; must be empty or absent unless --overwrite.")
  Path target;

  @Option(names = {"-i", "--include"}, paramLabel = "PATH",
      description = "Restore only PATH and what is under it (repeatable).")
  List<String> includes = new ArrayList<>();

  @Option(names = "--overwrite", description = "Allow a non-empty target directory, replacing files there.")
  boolean overwrite;

  @Option(names = "--host", paramLabel = "HOST", description = "With 'latest': the newest snapshot of HOST.")
  String host;

  @Override
  int run() {
    throw Pending.engine("restore");
  }
}
