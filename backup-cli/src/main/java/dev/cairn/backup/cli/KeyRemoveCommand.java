package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cairn key remove ID}: revokes a key slot (never the last one, nor the one in use). */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = "Remove key slot ID (not the one in use, never the last).")
final class KeyRemoveCommand extends CairnSubcommand {

  @Parameters(paramLabel = "ID", description = "The key's id or a unique prefix of it (see 'cairn key list').")
  String id;

  @Override
  int run() {
    try (Repository repo = openRepository()) {
      String prefix = id.trim().toLowerCase(Locale.ROOT);
      boolean current = !prefix.isEmpty()
          && repo.keys().stream().anyMatch(k -> k.current() && k.id().hex().startsWith(prefix));
      if (current) {
        throw new ConfigurationException("key " + id + " is the one this passphrase opened: remove it with"
            + " another passphrase, or change it with 'cairn key passwd'");
      }
      repo.removeKey(id);
    }
    output().message("key_removed", Map.of("id", id));
    output().info("removed key %s; its passphrase no longer opens the repository", id);
    return ExitCodes.OK;
  }
}
