package dev.cairn.backup;

import dev.cairn.backup.spi.Storage;
import java.util.Objects;

/**
 * A repository in a plan: a name shown in reports (e.g. {@code onsite-a}) and the {@link Storage}
 * holding it. Retention and copy schedules are attached by later parts of the plan API. The plan
 * does not close a storage it was given.
 *
 * @param name the target's name, unique in a plan
 * @param storage where the repository lives
 */
public record Target(String name, Storage storage) {
  /** Checks the values and copies the lists. */
  public Target {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(storage, "storage");
    if (name.isBlank()) {
      throw new IllegalArgumentException("target name must not be blank");
    }
  }

  /** A target named {@code name} on {@code storage}. */
  public static Target of(String name, Storage storage) {
    return new Target(name, storage);
  }
}
