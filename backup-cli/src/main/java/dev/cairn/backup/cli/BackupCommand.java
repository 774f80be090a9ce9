package dev.cairn.backup.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn backup}: backs up files, directories or a command's output into the repository. Each
 * kind of source is an option group of its own ({@link SourceOptions}).
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up files, directories or a command's output.")
final class BackupCommand extends CairnSubcommand {

  @Mixin FileSourceOptions files;
  @Mixin CommandSourceOptions command;

  @Option(names = "--tag", paramLabel = "TAG", split = ",",
      description = "Tag the snapshot with TAG (repeatable, or comma-separated).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--host", paramLabel = "HOST",
      description = "Record HOST as the snapshot's host (default: this machine's host name).")
  String host;

  List<SourceOptions> sourceOptions() {
    return List.of(files, command);
  }

  @Override
  int run() {
    throw Pending.engine("backup");
  }
}
