package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cairn key passwd}: replaces the passphrase in use by a new one. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
    description = "Change the passphrase in use; other key slots are untouched.")
final class KeyPasswdCommand extends CairnSubcommand {

  @Mixin NewPassphraseOption newPassphrase;

  @Override
  int run() {
    try (Repository repo = openRepository()) {
      RepositoryKey key = repo.changePassphrase(root().passphrases().newKey(newPassphrase.file));
      output().json(KeyListCommand.json(key));
      output().info("changed the passphrase (key %s); the old one no longer opens the repository", key.id().shortHex());
    }
    return ExitCodes.OK;
  }
}
