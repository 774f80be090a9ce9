package dev.cairn.backup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --new-password-file FILE} of the commands that set a new passphrase. */
final class NewPassphraseOption {

  @Option(names = "--new-password-file", paramLabel = "FILE",
      description = "Read the new passphrase from the first line of FILE (default: ask twice on the terminal).")
  Path file;
}
