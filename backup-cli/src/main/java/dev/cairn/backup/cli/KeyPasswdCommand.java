package dev.cairn.backup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cairn key passwd}: replaces the passphrase in use by a new one. */
@Command(name = "passwd", mixinStandardHelpOptions = true, description = "Change the passphrase in use (adds the new key slot, then removes the old).")
final class KeyPasswdCommand extends CairnSubcommand {

  @Mixin NewPassphraseOption newPassphrase;

  @Override
  int run() {
    throw Pending.engine("key passwd");
  }
}
