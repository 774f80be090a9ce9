package dev.cairn.backup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable record of one backup: the commit point in a repository. Written last, after every
 * pack and index it refers to.
 *
 * @param id the snapshot's id (hash of its stored object)
 * @param time when the backup started
 * @param host the host that took it
 * @param plan the plan's name ({@code ""} for ad-hoc backups)
 * @param tags user tags
 * @param parent the snapshot this one was taken incrementally against, or {@code null}
 * @param sources per source: root tree, metadata, verification data
 * @param checks outcomes of the usability checks run before the backup
 * @param complete false when some input could not be read (see the backup report's warnings)
 */
public record Snapshot(
    ObjectId id,
    Instant time,
    String host,
    String plan,
    List<String> tags,
    ObjectId parent,
    List<SnapshotSource> sources,
    List<CheckOutcome> checks,
    boolean complete) {
  /** Checks the values and copies the lists. */
  public Snapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(plan, "plan");
    tags = List.copyOf(tags);
    sources = List.copyOf(sources);
    checks = List.copyOf(checks);
  }

  /** The parent snapshot's id, if this one was taken incrementally. */
  public Optional<ObjectId> parentId() {
    return Optional.ofNullable(parent);
  }

  /** The part of source {@code name}, if the snapshot has it. */
  public Optional<SnapshotSource> source(String name) {
    return sources.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** True when every check passed (a snapshot taken despite a failed check is not "good"). */
  public boolean checksPassed() {
    return checks.stream().allMatch(CheckOutcome::passed);
  }

  /** Total content bytes over all sources. */
  public long bytes() {
    return sources.stream().mapToLong(SnapshotSource::bytes).sum();
  }
}
