package dev.cairn.backup.cli;

import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.Storages;
import dev.cairn.backup.plan.PlanFile;
import dev.cairn.backup.spi.Storage;

/**
 * {@code cairn plan run --forget [--prune]}: applies each target's {@code retention:} to its repository
 * (every location of a rotating target that holds a repository; absent drives are skipped), then
 * optionally prunes.
 */
final class PlanRetention {
  private PlanRetention() {}

  static void apply(PlanFile file, Output out, boolean prune) {
    for (PlanFile.TargetSpec t : file.targets()) {
      if (t.policy() == null) {
        continue;
      }
      for (String written : t.storages()) {
        Storage storage = Storages.fromUri(PlanSubcommand.location(file, written));
        if (!Repository.exists(storage)) {
          out.info("retention of target %s: no repository at %s, skipped", t.name(), written);
          continue;
        }
        try (Repository repo = Repository.builder(storage).passphrase(file.passphrase().get()).open()) {
          RetentionPlan plan = repo.forget(t.policy(), false);
          out.text("retention of target %s (%s): kept %d, removed %d snapshots", t.name(), written,
              plan.keep().size(), plan.remove().size());
          if (prune) {
            out.text("prune of %s: %s freed", written, Format.bytes(repo.prune(PruneOptions.DEFAULTS).bytesFreed()));
          }
        }
      }
    }
  }
}
