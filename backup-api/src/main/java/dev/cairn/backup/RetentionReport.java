package dev.cairn.backup;

import java.util.List;
import java.util.Objects;

/**
 * What applying a target's retention after a backup or copy did: the plan's snapshots the policy
 * removed from the target (forget), and the prune that followed if the target prunes.
 *
 * @param target the target's name in the plan
 * @param plan every keep/remove decision with its reasons, or {@code null} if the forget failed
 * @param prune what the prune removed, or {@code null} if the target does not prune (or it failed)
 * @param failure why applying the retention failed ({@code ""} when it succeeded); a failure does not
 *     make the backup or copy fail, whose snapshot is committed
 */
public record RetentionReport(String target, RetentionPlan plan, PruneReport prune, String failure) {
  /** Checks the values. */
  public RetentionReport {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(failure, "failure");
  }

  /** The snapshots removed (empty on failure). */
  public List<Snapshot> removed() {
    return plan == null ? List.of() : plan.remove();
  }

  /** True when the forget (and the prune, if configured) completed. */
  public boolean succeeded() {
    return failure.isEmpty();
  }
}
