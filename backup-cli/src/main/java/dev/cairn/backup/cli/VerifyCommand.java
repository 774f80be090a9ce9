package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.VerifyReport;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn verify [--read-data]}: checks the repository's structure, or reads all of it. Exit code 1
 * when damage is found; the output names the damaged packs, snapshots and paths.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Check the repository: structure, or with --read-data every byte. Exit code 1 if damaged.")
final class VerifyCommand extends CairnSubcommand {

  @Option(names = "--read-data",
      description = "Read every pack, decrypt and re-hash every chunk (slow: reads the whole repository).")
  boolean readData;

  @Override
  int run() {
    VerifyReport report;
    try (Repository repo = openRepository(); ProgressDisplay progress = progress("verify")) {
      report = repo.verify(readData, progress);
    }
    Output out = output();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("ok", report.ok());
    summary.put("read_data", report.readData());
    summary.put("snapshots", report.snapshots());
    summary.put("packs", report.packs());
    summary.put("blobs", report.blobs());
    summary.put("bytes_read", report.bytesRead());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    summary.put("damaged_packs", report.damagedPacks());
    summary.put("damaged_snapshots", report.damagedSnapshots().stream().map(id -> id.hex()).toList());
    summary.put("damaged_paths", report.damagedPaths().stream().map(p -> Map.of(
        "snapshot", p.snapshot().hex(), "source", p.source(), "path", p.path())).toList());
    summary.put("problems", report.problems());
    out.message("summary", summary);
    out.info("checked %d snapshots, %d packs, %d chunks and trees%s in %s", report.snapshots(), report.packs(),
        report.blobs(), report.readData() ? ", read " + Format.bytes(report.bytesRead()) : " (structure only;"
            + " --read-data reads every byte)", Format.duration(report.duration()));
    if (report.ok()) {
      out.info("no problems found");
      return ExitCodes.OK;
    }
    if (!out.json()) {
      report.problems().forEach(p -> out.err().println("damage: " + p));
      report.damagedPacks().forEach(p -> out.err().println("damaged pack: " + p));
      report.damagedSnapshots().forEach(s -> out.err().println("damaged snapshot: " + s.shortHex()));
      report.damagedPaths().forEach(p -> out.err().println("damaged path: snapshot " + p.snapshot().shortHex()
          + " source " + p.source() + ": " + (p.path().isEmpty() ? "(root)" : p.path())));
      out.err().println("cairn: the repository is damaged (" + report.problems().size() + " problems); files"
          + " outside the damaged paths still restore");
      out.err().flush();
    }
    return ExitCodes.FAILURE;
  }
}
