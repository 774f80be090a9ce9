package dev.cairn.backup.cli;

import picocli.CommandLine.Command;

/** {@code cairn key list}: the key slots, marking the one in use. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the key slots; '*' marks the one the passphrase opened.")
final class KeyListCommand extends CairnSubcommand {

  @Override
  int run() {
    throw Pending.engine("key list");
  }
}
