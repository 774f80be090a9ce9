package dev.cairn.backup;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link PlanHooks} callback is told.
 *
 * @param plan the plan's name
 * @param operation {@code backup}, {@code copy} or {@code drill}
 * @param time when the operation started
 * @param snapshot id (hex) of the snapshot written; {@code ""} before it exists or on failure
 * @param details further facts for scripts (e.g. {@code target}, {@code bytesNew}); never secrets
 */
public record HookEvent(String plan, String operation, Instant time, String snapshot, Map<String, String> details) {
  /** Checks the values and copies the lists. */
  public HookEvent {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(time, "time");
    snapshot = snapshot == null ? "" : snapshot;
    details = Map.copyOf(details == null ? Map.of() : details);
  }
}
