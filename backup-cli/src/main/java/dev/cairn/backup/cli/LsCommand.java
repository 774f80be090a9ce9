package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn ls SNAPSHOT [PATH]}: lists the entries of a snapshot. */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List the entries of a snapshot, or of PATH inside it (paths as a restore lays them out).")
final class LsCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id or a unique prefix of one.")
  String snapshot;

  @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
      description = "Only PATH and what is under it.")
  String path;

  @Option(names = {"-l", "--long"}, description = "Show type, mode, size and modification time.")
  boolean longFormat;

  @Override
  int run() {
    Snapshot chosen;
    Map<String, List<EntryMetadata>> entries = new LinkedHashMap<>();
    try (Repository repo = openRepository()) {
      chosen = repo.snapshot(snapshot);
      if (path == null) {
        entries.putAll(repo.entries(chosen));
      } else {
        SnapshotPaths.Selection selection = SnapshotPaths.select(repo, chosen, path);
        entries.put(selection.source(), repo.entries(chosen, selection.source(), selection.path()));
        if (entries.get(selection.source()).isEmpty()) {
          throw new BackupException("snapshot " + chosen.id().shortHex() + " has no entry '" + path
              + "'; list it without PATH to see what it holds");
        }
      }
    }
    Output out = output();
    entries.forEach((source, list) -> {
      for (EntryMetadata e : list) {
        String shown = SnapshotPaths.display(chosen, source, e.path());
        if (out.json()) {
          out.json(Json.entry(shown, e));
        } else if (longFormat) {
          out.text("%s", longLine(e, shown));
        } else {
          out.text("%s", e.type() == EntryType.DIRECTORY ? shown + "/" : shown);
        }
      }
    });
    return ExitCodes.OK;
  }

  /** {@code ls -l}'s line: type, mode, size, time and path, as {@code cairn find -l} prints it too. */
  static String longLine(EntryMetadata e, String shown) {
    return String.format("%s %5s %14d %-19s  %s", type(e.type()), e.mode() < 0 ? "-" : String.format("%04o", e.mode()),
        e.size(), e.modifiedTime() == null ? "-" : Format.time(e.modifiedTime()), shown);
  }

  private static char type(EntryType type) {
    return switch (type) {
      case DIRECTORY -> 'd';
      case SYMLINK -> 'l';
      case FILE -> '-';
    };
  }
}
