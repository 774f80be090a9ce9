package dev.cairn.backup.cli;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.Rotation;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import dev.cairn.backup.plan.PlanFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * Common ground of the {@code cairn plan} subcommands: the plan file, and the plan it describes with its
 * copy targets (the off-site and rotating drives) attached.
 */
abstract class PlanSubcommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "PLAN.yaml", description = "The plan file (see docs/plans.md).")
  Path planFile;

  /** Reads and validates the file; secrets are not resolved yet. */
  final PlanFile file() {
    return PlanFile.read(planFile);
  }

  /**
   * The plan's builder with every non-primary target of the file as a copy target (a rotation when it
   * lists several locations), unless the file's builder already has them.
   */
  static BackupPlan.Builder withCopies(PlanFile file, BackupPlan.Builder builder) {
    if (!builder.build().copyTargets().isEmpty()) {
      return builder;
    }
    for (PlanFile.TargetSpec t : file.targets()) {
      if (t.primary()) {
        continue;
      }
      List<Target> drives = new ArrayList<>();
      for (int i = 0; i < t.storages().size(); i++) {
        String name = t.storages().size() == 1 ? t.name() : t.name() + "-" + (i + 1);
        drives.add(Target.of(name, Storages.fromUri(location(file, t.storages().get(i)))));
      }
      builder.copyTo(Rotation.of(t.name(), drives.toArray(Target[]::new)), t.schedule());
    }
    return builder;
  }

  /** A target's storage location as written in the file: a URI, or a path relative to the file's directory. */
  static String location(PlanFile file, String written) {
    boolean uri = written.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    return uri ? written : file.file().toAbsolutePath().getParent().resolve(written).toString();
  }
}
