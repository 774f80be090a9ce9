package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cairn list KIND}: the ids of the repository's objects of one kind, one per line (restic's {@code list}). */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the ids of the repository's objects of KIND, one per line: snapshots, index, packs, keys,"
        + " locks, or blobs ('data ID' / 'tree ID' per blob the index lists).")
final class ListCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "KIND", description = "snapshots, index, packs, keys, locks or blobs.")
  String kind;

  @Override
  int run() {
    List<String> ids;
    try (Repository repo = openRepository()) {
      ids = repo.list(kind);
    }
    Output out = output();
    ids.forEach(id -> out.text("%s", id));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("ids", ids);
    out.json(m);
    return ExitCodes.OK;
  }
}
