package dev.cairn.backup.cli;

import dev.cairn.backup.DrillReport;
import dev.cairn.backup.DrillReports;
import picocli.CommandLine.Command;

/**
 * {@code cairn plan drill PLAN.yaml}: restores the newest good snapshot of every source into scratch
 * destinations, verifies each against what was recorded at backup time, times it against the RTO and
 * prints the drill report (also written to the plan's drill report directory). Exit code 1 when a
 * verification failed.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Restore the newest snapshot into scratch destinations, verify it and time it against the RTO.")
final class PlanDrillCommand extends PlanSubcommand {

  @Override
  int run() {
    DrillReport report = file().toPlan().drill();
    Output out = output();
    out.json(DrillReports.toJson(report));
    out.text("%s", DrillReports.toText(report).stripTrailing());
    return report.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
