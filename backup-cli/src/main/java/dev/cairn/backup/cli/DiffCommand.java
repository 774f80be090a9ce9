package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotDiff;
import dev.cairn.backup.SnapshotDiff.Change;
import dev.cairn.backup.SnapshotDiff.Kind;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.EntryType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn diff SNAPSHOT1 SNAPSHOT2}: the entries added ({@code +}), removed ({@code -}), changed
 * ({@code M}), replaced by another type ({@code T}) and, with {@code --metadata}, with only new metadata
 * ({@code U}), as restic prints them, then counts and sizes.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Show what changed between two snapshots: + added, - removed, M modified, T type changed"
        + " (U metadata only, with --metadata).")
final class DiffCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "SNAPSHOT1", description = "The older snapshot: 'latest', an id or a unique prefix.")
  String first;

  @Parameters(index = "1", paramLabel = "SNAPSHOT2", description = "The newer snapshot: 'latest', an id or a unique prefix.")
  String second;

  @Option(names = "--metadata", description = "Also list entries whose content is the same but mode or modification"
      + " time changed (U).")
  boolean metadata;

  @Override
  int run() {
    SnapshotDiff diff;
    try (Repository repo = openRepository()) {
      diff = repo.diff(repo.snapshot(first), repo.snapshot(second));
    }
    Output out = output();
    Set<String> sources = new HashSet<>();
    diff.from().sources().stream().map(SnapshotSource::name).forEach(sources::add);
    diff.to().sources().stream().map(SnapshotSource::name).forEach(sources::add);
    boolean prefix = sources.size() > 1;
    out.info("comparing snapshot %s to %s:%n", diff.from().id().shortHex(), diff.to().id().shortHex());
    for (Change c : diff.changes()) {
      if (c.kind() == Kind.METADATA && !metadata) {
        continue;
      }
      String shown = (prefix ? c.source() + "/" + c.path() : c.path()) + (c.type() == EntryType.DIRECTORY ? "/" : "");
      if (out.json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message_type", "change");
        m.put("modifier", String.valueOf(c.kind().symbol()));
        m.put("source", c.source());
        m.put("path", c.path());
        m.put("type", c.type().name().toLowerCase(Locale.ROOT));
        m.put("size_before", c.sizeBefore());
        m.put("size_after", c.sizeAfter());
        out.json(m);
      } else {
        out.text("%-4s %s", c.kind().symbol(), shown);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("source_snapshot", diff.from().id().hex());
    summary.put("target_snapshot", diff.to().id().hex());
    Map<String, Map<String, Long>> byType = new LinkedHashMap<>();
    for (EntryType t : EntryType.values()) {
      Map<String, Long> counts = new LinkedHashMap<>();
      for (Kind k : Kind.values()) {
        counts.put(k.name().toLowerCase(Locale.ROOT), diff.changes().stream()
            .filter(c -> c.type() == t && c.kind() == k).count());
      }
      byType.put(t.name().toLowerCase(Locale.ROOT), counts);
    }
    summary.put("changes", byType);
    summary.put("bytes_added", diff.bytesAdded());
    summary.put("bytes_removed", diff.bytesRemoved());
    out.message("summary", summary);
    out.info("");
    for (EntryType t : EntryType.values()) {
      Map<String, Long> c = byType.get(t.name().toLowerCase(Locale.ROOT));
      out.info("%-10s %6d new, %6d removed, %6d changed%s", label(t) + ":", c.get("added"), c.get("removed"),
          c.get("modified") + c.get("type"), metadata ? String.format(", %6d metadata only", c.get("metadata")) : "");
    }
    out.info("  added:   %s", Format.bytes(diff.bytesAdded()));
    out.info("  removed: %s", Format.bytes(diff.bytesRemoved()));
    return ExitCodes.OK;
  }

  private static String label(EntryType t) {
    return switch (t) {
      case FILE -> "Files";
      case DIRECTORY -> "Dirs";
      case SYMLINK -> "Symlinks";
    };
  }
}
