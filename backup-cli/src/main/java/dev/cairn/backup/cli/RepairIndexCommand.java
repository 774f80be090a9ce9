package dev.cairn.backup.cli;

import dev.cairn.backup.IndexRepairReport;
import dev.cairn.backup.Repository;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn repair index [--read-all-packs]}: writes one sound index file for every readable pack in
 * storage and deletes the old ones, as restic's {@code repair index} does.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Write a new index of every readable pack in storage, replacing all index files (after a damaged"
        + " or lost index file; takes the exclusive lock).")
final class RepairIndexCommand extends CairnSubcommand {

  @Option(names = "--read-all-packs",
      description = "Read every pack's header, not only those that no sound index file lists.")
  boolean readAllPacks;

  @Override
  int run() {
    IndexRepairReport report;
    try (Repository repo = openRepository()) {
      report = repo.repairIndex(readAllPacks);
    }
    Output out = output();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("index_files_replaced", report.indexFilesReplaced());
    summary.put("damaged_index_files", report.damagedIndexFiles());
    summary.put("packs_indexed", report.packsIndexed());
    summary.put("headers_read", report.headersRead());
    summary.put("unreadable_packs", report.unreadablePacks());
    summary.put("packs_gone", report.packsGone());
    summary.put("damaged_headers", report.damagedHeaders());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    out.message("summary", summary);
    out.info("wrote a new index of %d packs (%d pack headers read), replacing %d index files%s in %s",
        report.packsIndexed(), report.headersRead(), report.indexFilesReplaced(),
        report.damagedIndexFiles().isEmpty() ? "" : " (" + report.damagedIndexFiles().size() + " damaged)",
        Format.duration(report.duration()));
    if (report.packsGone() > 0) {
      // shown under -q too: harmless after an interrupted repair, lost data if the packs were deleted by hand
      out.warn("dropped %d packs the old index listed that are no longer in storage; run 'cairn verify' to see"
          + " whether a snapshot needed them", report.packsGone());
    }
    for (String pack : report.damagedHeaders()) {
      out.warn("pack %s has a damaged header; kept as a sound index file described it (run 'cairn verify"
          + " --read-data' to check its data)", pack);
    }
    for (String pack : report.unreadablePacks()) {
      out.warn("pack %s has a damaged header and is not in the new index; run 'cairn verify' to see which snapshots"
          + " needed it", pack);
    }
    // the index is sound again, but data is lost to it: a script must notice
    return report.unreadablePacks().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
