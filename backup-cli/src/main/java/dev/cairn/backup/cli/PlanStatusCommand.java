package dev.cairn.backup.cli;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.HealthReport;
import dev.cairn.backup.plan.PlanFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code cairn plan status PLAN.yaml}: per target, the newest good snapshot's age against the RPO and
 * the newest restore drill against the RTO. Exit code 1 when an objective is missed, so monitoring
 * can alert on it.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the plan's health (RPO/RTO per target); exit code 1 when an objective is missed.")
final class PlanStatusCommand extends PlanSubcommand {

  @Override
  int run() {
    PlanFile file = file();
    BackupPlan plan = file.toPlan();
    HealthReport health = file.health(plan, Instant.now());
    Output out = output();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message_type", "plan_status");
    m.put("plan", health.plan());
    m.put("ok", health.ok());
    m.put("violations", health.violations());
    m.put("targets", health.targets().stream().map(t -> {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("target", t.target());
      tm.put("ok", t.ok());
      tm.put("newest_good", t.newestGood() == null ? null : t.newestGood().id().hex());
      tm.put("age_seconds", t.age() == null ? null : t.age().toSeconds());
      tm.put("objectives", t.objectives().stream().map(o -> Map.of("objective", o.objective().name(),
          "status", o.status().name(), "message", o.message())).toList());
      return tm;
    }).toList());
    out.json(m);
    out.text("%s", health.toText().stripTrailing());
    return health.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
