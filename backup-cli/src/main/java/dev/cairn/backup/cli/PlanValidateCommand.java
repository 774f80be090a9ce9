package dev.cairn.backup.cli;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.ObjectiveViolation;
import dev.cairn.backup.plan.PlanFile;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code cairn plan validate PLAN.yaml}: reads the plan and builds it without touching a repository or a
 * secret; a malformed file gets an error naming the line and key at fault (exit code 1).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a plan file: syntax, keys, sources, targets, schedules, retention, objectives.")
final class PlanValidateCommand extends PlanSubcommand {

  @Override
  int run() {
    PlanFile file = file();
    BackupPlan plan = file.toPlanBuilder().build();
    Output out = output();
    for (ObjectiveViolation v : plan.objectiveViolations()) {
      out.warn("objective %s not met (enforce: warn): %s", v.objective(), v.message());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("message_type", "plan_valid");
    m.put("plan", file.name());
    m.put("sources", file.sources().stream().map(s -> s.name() + " (" + s.type() + ")").toList());
    m.put("targets", file.targets().stream().map(t -> t.name() + (t.primary() ? " (primary)" : "")).toList());
    m.put("checks", file.checks().size());
    m.put("rpo", file.rpo().map(Format::duration).orElse(null));
    m.put("rto", file.rto().map(Format::duration).orElse(null));
    m.put("objective_violations", plan.objectiveViolations().stream().map(ObjectiveViolation::message).toList());
    out.json(m);
    out.text("plan %s in %s is valid", file.name(), planFile);
    out.text("  sources: %s", String.join(", ", (Iterable<String>) m.get("sources")));
    for (PlanFile.TargetSpec t : file.targets()) {
      out.text("  target %s%s: %s, schedule %s%s", t.name(), t.primary() ? " (primary)" : "",
          String.join(" / ", t.storages()), t.schedule(), t.retention().isEmpty() ? "" : ", retention " + t.retention());
    }
    out.text("  checks: %d, RPO %s, RTO %s", file.checks().size(), m.get("rpo") == null ? "-" : m.get("rpo"),
        m.get("rto") == null ? "-" : m.get("rto"));
    return ExitCodes.OK;
  }
}
