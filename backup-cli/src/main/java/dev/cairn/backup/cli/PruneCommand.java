package dev.cairn.backup.cli;

import dev.cairn.backup.PruneReport;
import dev.cairn.backup.Repository;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn prune [--max-unused 10%] [--dry-run]}: removes the data no snapshot needs any more, under
 * the exclusive lock, in an order that an interruption cannot turn into lost data (docs/retention.md).
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Remove data no snapshot needs (after 'cairn forget'); repacks mostly unused packs.")
final class PruneCommand extends CairnSubcommand {

  @Mixin PruneSettings settings;

  @Option(names = {"-n", "--dry-run"}, description = "Only show what would be repacked, deleted and freed.")
  boolean dryRun;

  @Override
  int run() {
    try (Repository repo = openRepository()) {
      print(output(), repo.prune(settings.options(dryRun)));
    }
    return ExitCodes.OK;
  }

  /** The report as a table, or one JSON document. */
  static void print(Output out, PruneReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message_type", "prune");
    m.put("dry_run", r.dryRun());
    m.put("snapshots", r.snapshots());
    m.put("packs_before", r.packsBefore());
    m.put("bytes_before", r.bytesBefore());
    m.put("used_bytes", r.usedBytes());
    m.put("unused_bytes", r.unusedBytes());
    m.put("packs_repacked", r.packsRepacked());
    m.put("packs_deleted", r.packsDeleted());
    m.put("packs_too_new", r.packsTooNew());
    m.put("bytes_freed", r.bytesFreed());
    m.put("unused_after", r.unusedAfter());
    m.put("duration_seconds", r.duration().toMillis() / 1000.0);
    out.json(m);
    // the report is the point of a dry run; after a real prune it is information, which -q (cron) leaves out
    if (r.dryRun()) {
      out.text("%s", r.render().stripTrailing());
    } else {
      out.info("%s", r.render().stripTrailing());
    }
  }
}
