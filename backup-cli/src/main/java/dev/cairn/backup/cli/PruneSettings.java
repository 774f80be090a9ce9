package dev.cairn.backup.cli;

import dev.cairn.backup.PruneOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of {@code cairn prune}, also taken by {@code cairn forget --prune}. */
final class PruneSettings {

  @Option(names = "--max-unused", paramLabel = "LIMIT", defaultValue = "10%",
      description = "Unused data allowed to stay in partly used packs rather than repacking them: a percentage,"
          + " a size like 200M, 0 or unlimited (default: ${DEFAULT-VALUE}).")
  String maxUnused;

  @Option(names = "--safety-window", paramLabel = "DURATION", defaultValue = "1h", converter = RetentionDuration.class,
      description = "Leave packs younger than this alone, as a backup that started meanwhile may still refer to"
          + " them (default: ${DEFAULT-VALUE}).")
  Duration safetyWindow;

  PruneOptions options(boolean dryRun) {
    return PruneOptions.builder().maxUnused(maxUnused).safetyWindow(safetyWindow).dryRun(dryRun).build();
  }
}
