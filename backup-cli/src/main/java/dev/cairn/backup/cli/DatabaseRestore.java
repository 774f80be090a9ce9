package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.VerificationResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The database part of {@code cairn restore}: restores the snapshot's database sources through their
 * restorers (and, with {@code --target}, the other sources as files), then prints the verification
 * report — every table or measurement window with its result — and fails (exit code 1) when any check
 * does not match what was recorded at backup time.
 */
final class DatabaseRestore {
  private final RestoreCommand command;
  private final DatabaseRestoreOptions options;

  DatabaseRestore(RestoreCommand command, DatabaseRestoreOptions options) {
    this.command = command;
    this.options = options;
  }

  int run(Path target, boolean overwrite) {
    Output out = command.output();
    RestoreReport report;
    try (Repository repo = command.openRepository(); ProgressDisplay progress = command.progress("restore")) {
      Snapshot chosen = command.resolve(repo);
      Map<String, Restorer> restorers = options.restorers(chosen, command.environment());
      RestoreRequest.Builder request = RestoreRequest.builder().snapshot(chosen.id()).progress(progress);
      restorers.forEach(request::restorer);
      if (target != null) {
        request.destination(target).overwrite(overwrite);
      } else {
        restorers.keySet().forEach(request::source);
      }
      report = repo.restore(request.build());
    }
    int checks = 0;
    int failed = 0;
    for (RestoreResult result : report.results()) {
      out.text("source %s restored into %s: %d entries, %s", result.source(), result.destination(),
          result.entries(), Format.bytes(result.bytes()));
      for (VerificationResult v : result.results()) {
        checks++;
        failed += v.ok() ? 0 : 1;
        out.text("  %-8s %s  %s", v.status(), v.item(), describe(v));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("snapshot_id", report.snapshot().id().hex());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    summary.put("checks", checks);
    summary.put("failed", failed);
    summary.put("verified", failed == 0);
    summary.put("results", report.results().stream().map(RestoreCommand::result).toList());
    out.message("summary", summary);
    out.text("verification: %d of %d checks match what was recorded at backup time (snapshot %s, %s)",
        checks - failed, checks, report.snapshot().id().shortHex(), Format.duration(report.duration()));
    if (failed > 0) {
      throw new RestoreException(failed + " of " + checks + " verification checks of snapshot "
          + report.snapshot().id().shortHex() + " failed (marked MISMATCH or MISSING above): the restored data"
          + " is not what was backed up; do not use it, restore again into an empty server and run 'cairn verify --read-data'");
    }
    return ExitCodes.OK;
  }

  private static String describe(VerificationResult v) {
    if (v.ok()) {
      return (v.actualCount() >= 0 ? "count " + v.actualCount() + ", " : "") + "checksum " + v.actualChecksum();
    }
    return v.message();
  }
}
