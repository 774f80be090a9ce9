package dev.cairn.backup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cairn key remove ID}: revokes a key slot (never the last one, nor the one in use). */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove key slot ID (not the one in use, never the last).")
final class KeyRemoveCommand extends CairnSubcommand {

  @Parameters(paramLabel = "ID", description = "The key's id or a unique prefix of it (see 'cairn key list').")
  String id;

  @Override
  int run() {
    throw Pending.engine("key remove");
  }
}
