package dev.cairn.backup.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cairn plan validate|run|status|drill PLAN.yaml}: runs a YAML backup plan (docs/plans.md) from
 * cron, a systemd timer or by hand. The repository comes from the plan, not from {@code --repo}.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Validate, run, check or drill a YAML backup plan (see docs/plans.md).",
    subcommands = {PlanValidateCommand.class, PlanRunCommand.class, PlanStatusCommand.class,
        PlanDrillCommand.class, CommandLine.HelpCommand.class})
final class PlanCommand extends CairnSubcommand {

  @Override
  int run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println("cairn plan: a subcommand is required, e.g. `cairn plan validate plan.yaml`");
    spec.commandLine().getErr().flush();
    return ExitCodes.FAILURE;
  }
}
