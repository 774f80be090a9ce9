package dev.cairn.backup.cli;

import picocli.CommandLine.Command;

/** {@code cairn key list|add|remove|passwd}: the repository's passphrase slots. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Manage the passphrases (key slots) of the repository.",
    subcommands = {KeyListCommand.class, KeyAddCommand.class, KeyRemoveCommand.class, KeyPasswdCommand.class})
final class KeyCommand extends CairnSubcommand {

  @Override
  int run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.FAILURE;
  }
}
