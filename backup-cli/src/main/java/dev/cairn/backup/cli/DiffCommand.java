package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotDiff.Kind;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.EntryType;
import java.util.EnumMap;
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
    Output out = output();
    Map<EntryType, Map<Kind, Long>> counts = new EnumMap<>(EntryType.class);
    for (EntryType t : EntryType.values()) {
      Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
      for (Kind k : Kind.values()) {
        byKind.put(k, 0L);
      }
      counts.put(t, byKind);
    }
    long[] bytes = new long[2];
    Snapshot from;
    Snapshot to;
    try (Repository repo = openRepository()) {
      from = repo.snapshot(first);
      to = repo.snapshot(second);
      Set<String> sources = new HashSet<>();
      from.sources().stream().map(SnapshotSource::name).forEach(sources::add);
      to.sources().stream().map(SnapshotSource::name).forEach(sources::add);
      boolean prefix = sources.size() > 1;
      out.info("comparing snapshot %s to %s:%n", from.id().shortHex(), to.id().shortHex());
      // printed and counted as found: a diff of millions of entries needs no more memory than a small one
      repo.diff(from, to, c -> {
        if (c.kind() == Kind.METADATA && !metadata) {
          return;
        }
        counts.get(c.type()).merge(c.kind(), 1L, Long::sum);
        bytes[0] += Math.max(0, c.sizeAfter() - c.sizeBefore());
        bytes[1] += Math.max(0, c.sizeBefore() - c.sizeAfter());
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
          out.text("%-4s %s", c.kind().symbol(), (prefix ? c.source() + "/" + c.path() : c.path())
              + (c.type() == EntryType.DIRECTORY ? "/" : ""));
        }
      });
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("source_snapshot", from.id().hex());
    summary.put("target_snapshot", to.id().hex());
    Map<String, Map<String, Long>> byType = new LinkedHashMap<>();
    counts.forEach((t, byKind) -> {
      Map<String, Long> m = new LinkedHashMap<>();
      byKind.forEach((k, n) -> {
        if (k != Kind.METADATA || metadata) {
          m.put(k.name().toLowerCase(Locale.ROOT), n);
        }
      });
      byType.put(t.name().toLowerCase(Locale.ROOT), m);
    });
    summary.put("changes", byType);
    summary.put("bytes_added", bytes[0]);
    summary.put("bytes_removed", bytes[1]);
    out.message("summary", summary);
    out.info("");
    for (EntryType t : EntryType.values()) {
      Map<Kind, Long> c = counts.get(t);
      out.info("%-10s %6d new, %6d removed, %6d changed%s", label(t) + ":", c.get(Kind.ADDED), c.get(Kind.REMOVED),
          c.get(Kind.MODIFIED) + c.get(Kind.TYPE),
          metadata ? String.format(", %6d metadata only", c.get(Kind.METADATA)) : "");
    }
    out.info("  added:   %s", Format.bytes(bytes[0]));
    out.info("  removed: %s", Format.bytes(bytes[1]));
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
