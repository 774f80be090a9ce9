package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn tag SNAPSHOT... --add T | --remove T | --set T}: changes snapshots' tags, as restic's
 * {@code tag} does (a changed snapshot gets a new id).
 */
@Command(name = "tag", mixinStandardHelpOptions = true,
    description = "Add, remove or set the tags of snapshots (a changed snapshot gets a new id).")
final class TagCommand extends CairnSubcommand {

  @Parameters(arity = "1..*", paramLabel = "SNAPSHOT", description = "'latest', snapshot ids or unique prefixes.")
  List<String> refs;

  @Option(names = "--add", paramLabel = "TAG[,TAG...]", split = ",", description = "Add these tags (repeatable).")
  List<String> add = new ArrayList<>();

  @Option(names = "--remove", paramLabel = "TAG[,TAG...]", split = ",", description = "Remove these tags (repeatable).")
  List<String> remove = new ArrayList<>();

  @Option(names = "--set", paramLabel = "TAG[,TAG...]", split = ",",
      description = "Replace all tags with these (repeatable; --set '' removes every tag).")
  List<String> set;

  @Override
  int run() {
    if (set == null && add.isEmpty() && remove.isEmpty()) {
      throw new ConfigurationException("nothing to change: give --add, --remove or --set TAG");
    }
    List<String> replace = set == null ? null : set.stream().filter(t -> !t.isBlank()).toList();
    Output out = output();
    List<Snapshot> now;
    try (Repository repo = openRepository()) {
      List<String> before = refs.stream().map(r -> repo.snapshot(r).id().hex()).toList();
      now = repo.tag(refs, replace, add, remove);
      for (int i = 0; i < now.size(); i++) {
        Snapshot s = now.get(i);
        boolean changed = !before.contains(s.id().hex());
        out.text("%s %s [%s]", changed ? "tagged" : "unchanged", s.id().shortHex(), String.join(",", s.tags()));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("snapshots", now.stream().map(s -> Map.of("id", s.id().hex(), "tags", s.tags())).toList());
    out.message("summary", summary);
    return ExitCodes.OK;
  }
}
