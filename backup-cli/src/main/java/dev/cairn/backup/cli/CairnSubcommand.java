package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Common ground of the subcommands: the global options, output and the repository location. */
abstract class CairnSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private Output output;

  /** The {@code cairn} command holding the global options. */
  final CairnCommand root() {
    return (CairnCommand) spec.root().userObject();
  }

  final Output output() {
    if (output == null) {
      output = root().output();
    }
    return output;
  }

  final CliEnvironment environment() {
    return root().environment();
  }

  /** The repository location; fails with what to set when there is none. */
  final String location() {
    String location = root().repositoryLocation();
    if (location == null) {
      throw new ConfigurationException("no repository given: pass --repo REPO or set "
          + CairnCommand.REPOSITORY_VARIABLE + " (a directory, or s3://… / sftp://…)");
    }
    return location;
  }

  /** The storage at {@link #location()}. */
  final Storage storage() {
    return Storages.fromUri(location());
  }

  /** Opens the repository, asking for its passphrase as {@link Passphrases} says. */
  final Repository openRepository() {
    return openRepository(java.util.function.UnaryOperator.identity());
  }

  /** Opens the repository through {@code view} of its storage (a dry run's). */
  final Repository openRepository(java.util.function.UnaryOperator<Storage> view) {
    String location = location();
    Storage storage = storage();
    if (!Repository.exists(storage)) {
      throw new RepositoryNotFoundException("no repository at " + location
          + ": check --repo / " + CairnCommand.REPOSITORY_VARIABLE + ", or create one with 'cairn init'");
    }
    return root().repositoryBuilder(view.apply(storage)).passphrase(root().passphrases().current(location)).open();
  }

  /** Live progress for {@code action}, in the mode the output and terminal allow. */
  final ProgressDisplay progress(String action) {
    return ProgressDisplay.start(output(), environment().terminal().stderrIsTerminal(), action);
  }

  @Override
  public final Integer call() throws Exception {
    var parsed = spec.commandLine().getParseResult();
    for (java.util.Map.Entry<String, java.util.List<String>> e : dependentOptions().entrySet()) {
      if (parsed.hasMatchedOption(e.getKey()) && e.getValue().stream().noneMatch(parsed::hasMatchedOption)) {
        // an option that only means something with another would be ignored without it: say so
        throw new ConfigurationException(e.getKey() + " applies only with " + String.join(" or ", e.getValue())
            + "; without it, it would be ignored");
      }
    }
    for (java.util.Map.Entry<String, String> e : unusedOptions().entrySet()) {
      if (parsed.hasMatchedOption(e.getKey())) {
        throw new ConfigurationException(e.getKey() + " does not apply here: " + e.getValue());
      }
    }
    return run();
  }

  /** Options (inherited global ones) this command does not use, with why: given, they are refused. */
  java.util.Map<String, String> unusedOptions() {
    return java.util.Map.of();
  }

  /** Options of this command that mean something only together with one of the listed others. */
  java.util.Map<String, java.util.List<String>> dependentOptions() {
    return java.util.Map.of();
  }

  /** Runs the command and returns its exit code; failures are thrown and mapped by {@link ErrorHandler}. */
  abstract int run() throws Exception;
}
