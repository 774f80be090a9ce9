package dev.cairn.backup.cli;

import dev.cairn.backup.plan.PlanFile;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** Common ground of the {@code cairn plan} subcommands: the plan file. */
abstract class PlanSubcommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "PLAN.yaml", description = "The plan file (see docs/plans.md).")
  Path planFile;

  @Override
  java.util.Map<String, String> unusedOptions() {
    String why = "the plan file names its targets and their passphrases (encryption: passphrase: …)";
    return java.util.Map.of("--repo", why, "--password-file", why);
  }

  /** Reads and validates the file; secrets are not resolved yet. */
  final PlanFile file() {
    return PlanFile.read(planFile);
  }
}
