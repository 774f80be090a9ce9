package dev.cairn.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies a target's retention (forget, then prune if configured) to a plan's snapshots after a backup or copy. */
final class PlanRetention {
  private static final Logger LOG = LoggerFactory.getLogger(PlanRetention.class);

  private PlanRetention() {}

  /**
   * Applies {@code target}'s retention to the snapshots of {@code plan} in {@code repo}; failures are
   * reported, not thrown, since the snapshot that was just written stays committed.
   *
   * @return the report, or {@code null} if the target has no retention
   */
  static RetentionReport apply(Repository repo, Target target, String plan) {
    if (target.retention() == null) {
      return null;
    }
    RetentionPlan decisions = null;
    try {
      decisions = repo.forget(target.retention(), false, plan);
      PruneReport pruned = target.prune() == null ? null : repo.prune(target.prune());
      LOG.info("retention of target {}: removed {} snapshot(s) of plan {}, kept {}{}", target.name(),
          decisions.remove().size(), plan, decisions.keep().size(), pruned == null ? "" : ", pruned");
      return new RetentionReport(target.name(), decisions, pruned, "");
    } catch (BackupException e) {
      LOG.warn("retention of target {} failed: {}", target.name(), e.getMessage());
      return new RetentionReport(target.name(), decisions, null,
          (decisions == null ? "forget failed: " : "prune failed: ") + e.getMessage());
    }
  }
}
