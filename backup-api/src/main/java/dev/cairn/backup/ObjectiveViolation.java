package dev.cairn.backup;

import java.util.Objects;

/**
 * One way a plan's schedule, storages and retention fail to meet its objectives, found when the plan is
 * built (or by {@code cairn plan validate}).
 *
 * @param objective which objective is missed
 * @param target the target at fault, or {@code ""} when the plan as a whole is
 * @param message why, and what to change
 */
public record ObjectiveViolation(Objective objective, String target, String message) {
  /** The objectives a plan can prove at build time. */
  public enum Objective {
    /** Backups at least as often as the recovery point objective. */
    RPO,
    /** Restore drills can measure the recovery time objective (every source can be drilled). */
    RTO,
    /** At least three copies of the backups (distinct storage locations). */
    THREE_COPIES,
    /** On at least two different kinds of storage. */
    TWO_STORAGES,
    /** At least one copy off site. */
    OFF_SITE,
    /** Object Lock periods not shorter than what retention keeps. */
    OBJECT_LOCK
  }

  public ObjectiveViolation {
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(message, "message");
  }

  /** {@code OBJECTIVE: message}, as shown to users. */
  @Override
  public String toString() {
    return objective + ": " + message;
  }
}
