package dev.cairn.backup;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Several drives (or other targets) that take turns receiving copies, e.g. two USB drives of which
 * one is on site and one in a drawer: "alternate between these drives weekly" is
 * {@code plan.copyTo(Rotation.of("onsite", driveA, driveB), Schedule.weekly())}.
 *
 * <p>When a copy is due (the schedule has fired since the newest copy on any of the drives), it goes
 * to the <em>most stale</em> drive: the one whose newest copy is oldest, a drive without copies
 * first, ties broken by the order given here. A drive whose repository cannot be opened (not
 * plugged in, unreachable, or not created yet while the plan does not create repositories) is
 * skipped and the next most stale one used, so swapping drives early or late, or forgetting one
 * for a week, still leaves every drive as fresh as it can be. Choosing by staleness rather than by
 * calendar week parity means a missed week never makes one drive receive two turns in a row while
 * the other ages.
 *
 * @param name the rotation's name, used in reports when no drive could be used
 * @param drives the drives, each a {@link Target} with a unique name (at least one)
 */
public record Rotation(String name, List<Target> drives) {
  /** Checks the values and copies the list. */
  public Rotation {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("rotation name must not be blank");
    }
    drives = List.copyOf(drives);
    if (drives.isEmpty()) {
      throw new IllegalArgumentException("rotation '" + name + "' needs at least one drive");
    }
    Set<String> names = new HashSet<>();
    for (Target t : drives) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("rotation '" + name + "' has two drives named '" + t.name()
            + "'; give each drive its own name");
      }
    }
  }

  /** A rotation named {@code name} over {@code drives}, in tie-breaking order. */
  public static Rotation of(String name, Target... drives) {
    return new Rotation(name, List.of(drives));
  }
}
