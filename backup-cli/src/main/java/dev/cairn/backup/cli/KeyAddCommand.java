package dev.cairn.backup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cairn key add}: a further passphrase that opens the repository. */
@Command(name = "add", mixinStandardHelpOptions = true, description = "Add a passphrase (a new key slot); the current one keeps working.")
final class KeyAddCommand extends CairnSubcommand {

  @Mixin NewPassphraseOption newPassphrase;

  @Override
  int run() {
    throw Pending.engine("key add");
  }
}
