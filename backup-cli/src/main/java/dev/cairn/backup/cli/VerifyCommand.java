package dev.cairn.backup.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn verify [--read-data]}: checks the repository's structure, or reads all of it. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the repository: structure, or with --read-data every byte.")
final class VerifyCommand extends CairnSubcommand {

  @Option(names = "--read-data",
      description = "Read every pack, decrypt and re-hash every chunk (slow: reads the whole repository).")
  boolean readData;

  @Override
  int run() {
    throw Pending.engine("verify");
  }
}
