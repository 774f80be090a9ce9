package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryStats;
import dev.cairn.backup.SnapshotStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cairn stats}: sizes of the repository and what deduplication and compression saved. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Show repository sizes and what deduplication and compression saved; or, given snapshots or"
        + " --mode, their sizes: restore-size (what a restore writes: entries and bytes) or raw-data (the distinct"
        + " chunks and trees they need, before and after compression; reads every tree once)."})
final class StatsCommand extends CairnSubcommand {

  /** restic's names for what to count. */
  enum Mode {
    /** What restoring the snapshots writes. */
    RESTORE_SIZE,
    /** The distinct data the snapshots need. */
    RAW_DATA
  }

  @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
      description = "'latest', snapshot ids or unique prefixes (with --mode and none given: every snapshot).")
  List<String> refs = new ArrayList<>();

  @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class,
      description = "restore-size (default with SNAPSHOTs) or raw-data.")
  Mode mode;

  @Override
  int run() {
    if (mode != null || !refs.isEmpty()) {
      return snapshotStats(mode == null ? Mode.RESTORE_SIZE : mode);
    }
    RepositoryStats s;
    try (Repository repo = openRepository()) {
      s = repo.stats();
    }
    Output out = output();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshots", s.snapshots());
    m.put("packs", s.packs());
    m.put("data_blobs", s.dataBlobs());
    m.put("tree_blobs", s.treeBlobs());
    m.put("raw_bytes", s.rawBytes());
    m.put("stored_bytes", s.storedBytes());
    m.put("logical_bytes", s.logicalBytes());
    out.json(m);
    out.text("snapshots:            %d", s.snapshots());
    out.text("content of snapshots: %s (all snapshots added up)", Format.bytes(s.logicalBytes()));
    out.text("unique data:          %s in %d chunks and %d trees", Format.bytes(s.rawBytes()), s.dataBlobs(), s.treeBlobs());
    out.text("stored:               %s in %d packs", Format.bytes(s.storedBytes()), s.packs());
    if (s.storedBytes() > 0) {
      out.text("saving:               %.2fx (deduplication and compression)", (double) s.logicalBytes() / s.storedBytes());
    }
    return ExitCodes.OK;
  }

  private int snapshotStats(Mode chosen) {
    SnapshotStats s;
    try (Repository repo = openRepository()) {
      s = repo.stats(refs, chosen == Mode.RAW_DATA);
    }
    Output out = output();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", chosen.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    m.put("snapshots", s.snapshots());
    m.put("entries", s.entries());
    m.put("restore_bytes", s.restoreBytes());
    if (s.dataCounted()) {
      m.put("chunks", s.chunks());
      m.put("trees", s.trees());
      m.put("raw_bytes", s.rawBytes());
      m.put("stored_bytes", s.storedBytes());
    }
    out.json(m);
    out.text("snapshots:    %d", s.snapshots());
    out.text("restore size: %s in %d entries (files, directories, links)", Format.bytes(s.restoreBytes()),
        s.entries());
    if (s.dataCounted()) {
      out.text("unique data:  %s in %d chunks and %d trees", Format.bytes(s.rawBytes()), s.chunks(), s.trees());
      out.text("stored:       %s", Format.bytes(s.storedBytes()));
    }
    return ExitCodes.OK;
  }

  /** {@code restore-size} and {@code raw-data}, as restic spells them. */
  static final class ModeConverter implements picocli.CommandLine.ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
      try {
        return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a mode: give restore-size or"
            + " raw-data");
      }
    }
  }
}
