package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code cairn key list}: the key slots, marking the one in use. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the key slots; '*' marks the one the passphrase opened.")
final class KeyListCommand extends CairnSubcommand {

  @Override
  int run() {
    List<RepositoryKey> keys;
    try (Repository repo = openRepository()) {
      keys = repo.keys();
    }
    Output out = output();
    out.json(keys.stream().map(KeyListCommand::json).toList());
    out.text("   %-9s %-19s  %s", "ID", "Created", "Host");
    for (RepositoryKey k : keys) {
      out.text("%s  %-9s %-19s  %s", k.current() ? "*" : " ", k.id().shortHex(),
          k.created() == null ? "-" : Format.time(k.created()), k.host());
    }
    return ExitCodes.OK;
  }

  static Map<String, Object> json(RepositoryKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", k.id().hex());
    m.put("short_id", k.id().shortHex());
    m.put("created", k.created() == null ? null : k.created().toString());
    m.put("host", k.host());
    m.put("current", k.current());
    return m;
  }
}
