package dev.cairn.backup;

import java.time.Duration;
import java.util.Objects;

/**
 * The recorded outcome of one {@link Check}.
 *
 * @param name the check's name
 * @param passed whether it passed
 * @param message why it failed; empty when it passed
 * @param onFailure the policy that applied
 * @param duration how long it ran
 */
public record CheckOutcome(String name, boolean passed, String message, Check.OnFailure onFailure, Duration duration) {
  /** Checks the values and copies the lists. */
  public CheckOutcome {
    Objects.requireNonNull(name, "name");
    message = message == null ? "" : message;
    Objects.requireNonNull(onFailure, "onFailure");
    Objects.requireNonNull(duration, "duration");
  }
}
