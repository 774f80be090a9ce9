package dev.cairn.backup.cli;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.RetentionReport;
import dev.cairn.backup.plan.PlanFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn plan run PLAN.yaml}: one run of the plan, as cron or a systemd timer starts it: checks,
 * a backup of every source into the primary target, then a copy to each further target whose schedule
 * is due, and each target's retention. Exit code 0 when all went well, 3 when the snapshot is incomplete
 * or a check marked it, 1 when the backup, a due copy or a retention failed.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the plan once: checks, backup to the primary target, copies that are due, retention.")
final class PlanRunCommand extends PlanSubcommand {

  @Option(names = "--init", description = "Create the plan's repositories where none exist yet (first run).")
  boolean init;

  @Override
  int run() {
    PlanFile file = file();
    Output out = output();
    BackupReport report;
    try (ProgressDisplay progress = progress("backup")) {
      BackupPlan plan = file.toPlanBuilder().progress(progress).createRepository(init).build();
      report = file.recordDrives(plan.backup(), Instant.now());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message_type", "plan_run");
    m.put("plan", file.name());
    m.put("target", report.target());
    m.put("snapshot_id", report.snapshotId().hex());
    m.put("files", report.files());
    m.put("bytes_new", report.bytesNew());
    m.put("bytes_stored", report.bytesStored());
    m.put("duration_seconds", report.duration().toMillis() / 1000.0);
    m.put("complete", report.snapshot().complete());
    m.put("checks_passed", report.snapshot().checksPassed());
    m.put("warnings", report.warnings());
    m.put("retention", report.retention().stream().map(r -> {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("target", r.target());
      rm.put("removed", r.removed().stream().map(x -> x.id().hex()).toList());
      rm.put("bytes_freed", r.prune() == null ? 0 : r.prune().bytesFreed());
      rm.put("failure", r.failure());
      return rm;
    }).toList());
    m.put("copies", report.copies().stream().map(c -> {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("target", c.target());
      cm.put("destination", c.destination());
      cm.put("copied", c.copied().size());
      cm.put("bytes_copied", c.bytesCopied());
      cm.put("failure", c.failure());
      return cm;
    }).toList());
    out.json(m);
    for (CheckOutcome c : report.checks()) {
      if (c.passed()) {
        out.info("check %-30s passed%s", c.name(), c.message().isEmpty() ? "" : ": " + c.message());
      } else {
        out.warn("check %s FAILED%s", c.name(), c.message().isEmpty() ? "" : ": " + c.message());
      }
    }
    out.info("snapshot %s saved to %s: %d files, %s new, %s stored, in %s", report.snapshotId().shortHex(),
        report.target(), report.files(), Format.bytes(report.bytesNew()), Format.bytes(report.bytesStored()),
        Format.duration(report.duration()));
    boolean copyFailed = false;
    for (CopyReport c : report.copies()) {
      if (c.failure() != null && !c.failure().isEmpty()) {
        copyFailed = true;
        out.warn("copy to %s%s FAILED: %s", c.target(), c.destination().isEmpty() ? "" : " (" + c.destination() + ")",
            c.failure());
      } else {
        out.info("copied to %s (%s): %d snapshots, %s", c.target(), c.destination(), c.copied().size(),
            Format.bytes(c.bytesCopied()));
      }
    }
    for (String warning : report.warnings()) {
      out.warn("%s", warning);
    }
    boolean retentionFailed = false;
    for (RetentionReport r : report.retention()) {
      if (!r.succeeded()) {
        retentionFailed = true;
        out.warn("retention of target %s FAILED: %s", r.target(), r.failure());
        continue;
      }
      out.info("retention of target %s: kept %d, removed %d snapshots%s", r.target(), r.plan().keep().size(),
          r.removed().size(), r.prune() == null ? "" : ", prune freed " + Format.bytes(r.prune().bytesFreed()));
    }
    if (copyFailed || retentionFailed) {
      return ExitCodes.FAILURE;
    }
    if (!report.snapshot().complete() || !report.snapshot().checksPassed()) {
      return ExitCodes.INCOMPLETE;
    }
    // a complete snapshot with warnings: the after-backup hook failed
    return report.warnings().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
