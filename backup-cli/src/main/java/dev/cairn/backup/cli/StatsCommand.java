package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryStats;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code cairn stats}: sizes of the repository and what deduplication and compression saved. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Show repository sizes and what deduplication and compression saved.")
final class StatsCommand extends CairnSubcommand {

  @Override
  int run() {
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
}
