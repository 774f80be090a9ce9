package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cairn key add}: a further passphrase that opens the repository. */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = "Add a passphrase (a new key slot); the current one keeps working.")
final class KeyAddCommand extends CairnSubcommand {

  @Mixin NewPassphraseOption newPassphrase;

  @Override
  int run() {
    try (Repository repo = openRepository()) {
      RepositoryKey key = repo.addKey(root().passphrases().newKey(newPassphrase.file));
      output().json(KeyListCommand.json(key));
      output().info("added key %s; the repository now opens with either passphrase", key.id().shortHex());
    }
    return ExitCodes.OK;
  }
}
