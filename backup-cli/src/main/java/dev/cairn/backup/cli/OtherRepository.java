package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.spi.Storage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A second repository of a command ({@code copy --to}, {@code init --copy-chunker-params-from}), with a
 * passphrase of its own found like the main one but under other names: {@code --<prefix>password-file},
 * then {@code CAIRN_<PREFIX>PASSWORD_FILE}, then {@code CAIRN_<PREFIX>PASSWORD}, then a prompt naming the
 * repository.
 */
final class OtherRepository {
  private OtherRepository() {}

  /** The passphrase of the repository at {@code location}, e.g. with prefix {@code TO_} from {@code CAIRN_TO_PASSWORD}. */
  static Secret passphrase(CliEnvironment environment, String prefix, Path passwordFile, String location) {
    Map<String, String> variables = new HashMap<>(environment.variables());
    variables.remove(Passphrases.PASSWORD);
    variables.remove(Passphrases.PASSWORD_FILE);
    String value = environment.variable("CAIRN_" + prefix + "PASSWORD");
    String file = environment.variable("CAIRN_" + prefix + "PASSWORD_FILE");
    if (value != null) {
      variables.put(Passphrases.PASSWORD, value);
    }
    if (file != null) {
      variables.put(Passphrases.PASSWORD_FILE, file);
    }
    String option = "--" + prefix.toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "password-file";
    return new Passphrases(new CliEnvironment(variables, environment.terminal()), passwordFile,
        "set CAIRN_" + prefix + "PASSWORD or CAIRN_" + prefix + "PASSWORD_FILE, give " + option).current(location);
  }

  /** Opens the existing repository at {@code location}; {@code option} names the setting in errors. */
  static Repository open(CairnCommand root, String prefix, Path passwordFile, String location, String option) {
    return root.repositoryBuilder(existing(location, option))
        .passphrase(passphrase(root.environment(), prefix, passwordFile, location)).open();
  }

  /** The storage at {@code location}, which must hold a repository; {@code option} names the setting in errors. */
  static Storage existing(String location, String option) {
    Storage storage = Storages.fromUri(location);
    if (!Repository.exists(storage)) {
      throw new RepositoryNotFoundException("no repository at " + location + " (" + option
          + "): check the location, or create one with 'cairn init'");
    }
    return storage;
  }
}
