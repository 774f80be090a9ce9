package dev.cairn.backup.cli;

import dev.cairn.backup.PackRepairReport;
import dev.cairn.backup.Repository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn repair packs [PACK...] [--from REPO] [--dry-run]}: replaces damaged and missing packs,
 * salvaging what still reads back and taking the rest from another copy of the repository (restic's
 * {@code repair packs}, which can only salvage). Exit code 1 when blobs are lost.
 */
@Command(name = "packs", mixinStandardHelpOptions = true,
    description = {"Replace damaged or missing packs: blobs that still read back intact are kept, the others are"
        + " read from another copy (--from) that shares this repository's chunking (the plan's copies do)."
        + " Takes the exclusive lock. Exit code 1 if blobs are lost (no copy had them).",
        "The copy's passphrase comes from --from-password-file / CAIRN_FROM_PASSWORD_FILE / CAIRN_FROM_PASSWORD."})
final class RepairPacksCommand extends CairnSubcommand {

  @Parameters(paramLabel = "PACK", arity = "0..*",
      description = "Packs to check and repair: ids or unique prefixes, as 'cairn verify' names them (default: read"
          + " and check every pack, as 'verify --read-data' does).")
  List<String> packs = new ArrayList<>();

  @Option(names = "--from", paramLabel = "REPO",
      description = "Another copy of this repository to read lost blobs from (a drive, the off-site bucket).")
  String from;

  @Option(names = "--from-password-file", paramLabel = "FILE",
      description = "Read the copy's passphrase from the first line of FILE (default: $CAIRN_FROM_PASSWORD_FILE,"
          + " then $CAIRN_FROM_PASSWORD, then a prompt).")
  Path fromPasswordFile;

  @Option(names = {"-n", "--dry-run"}, description = "Check and read everything, but write and delete nothing.")
  boolean dryRun;

  @Override
  int run() {
    PackRepairReport report;
    try (Repository repo = openRepository();
        Repository copy = from == null ? null : OtherRepository.open(root(), "FROM_", fromPasswordFile, from, "--from");
        ProgressDisplay progress = progress("repair packs")) {
      report = repo.repairPacks(packs, copy, dryRun, progress);
    }
    Output out = output();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("dry_run", report.dryRun());
    summary.put("packs_checked", report.packsChecked());
    summary.put("repaired_packs", report.repairedPacks());
    summary.put("blobs_salvaged", report.blobsSalvaged());
    summary.put("blobs_from_copy", report.blobsFromCopy());
    summary.put("lost_blobs", report.lostBlobs());
    summary.put("new_packs", report.newPacks());
    summary.put("problems", report.problems());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    out.message("summary", summary);
    String verb = report.dryRun() ? "would replace" : "replaced";
    if (!out.json()) {
      report.problems().forEach(p -> out.err().println("damage: " + p));
    }
    if (report.repairedPacks().isEmpty()) {
      out.info("checked %d packs in %s: none is damaged or missing%s", report.packsChecked(),
          Format.duration(report.duration()), report.complete() ? ""
              : ", but snapshots need blobs that no pack holds" + (from == null ? "" : " and " + from + " lacks too"));
    } else {
      out.info("checked %d packs in %s; %s %d damaged or missing: %d blobs intact, %d from %s, %d lost",
          report.packsChecked(), Format.duration(report.duration()), verb, report.repairedPacks().size(),
          report.blobsSalvaged(), report.blobsFromCopy(), from == null ? "a copy (none given: --from)" : from,
          report.lostBlobs().size());
    }
    if (report.repairedPacks().isEmpty() && report.blobsFromCopy() > 0) {
      out.info("%s %d blobs that snapshots need and no pack held from %s", report.dryRun() ? "would read" : "read",
          report.blobsFromCopy(), from);
    }
    if (report.complete()) {
      return ExitCodes.OK;
    }
    out.warn("%d blobs are lost to this repository%s; 'cairn verify' names the snapshots and files that need them."
        + " The next backup stores them again if the files still hold that data; %s", report.lostBlobs().size(),
        report.dryRun() ? " (once repaired)" : "", from == null
            ? "or give another copy with --from" : "or try another copy with --from");
    return ExitCodes.FAILURE;
  }
}
