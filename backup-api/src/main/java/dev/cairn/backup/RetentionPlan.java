package dev.cairn.backup;

import dev.cairn.backup.internal.retention.RetentionTable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of applying a {@link Retention} policy: for every snapshot, keep or remove, and the rules
 * that kept it. Immutable; what {@code forget --dry-run} shows and what {@code forget} executes.
 *
 * @param policy the policy applied
 * @param now the time it was applied at
 * @param groups one entry per group of snapshots, in order of first appearance of the group's newest
 *     snapshot (newest group first)
 */
public record RetentionPlan(Retention policy, Instant now, List<Group> groups) {
  private static final DateTimeFormatter JSON_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  public RetentionPlan {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    groups = List.copyOf(groups);
  }

  /**
   * What a group of snapshots has in common; a component is {@code null} when the policy does not
   * group by it.
   *
   * @param host the host, or null
   * @param plan the plan name, or null
   * @param sources the sorted source names, or null
   * @param tags the sorted tags, or null
   */
  public record GroupKey(String host, String plan, List<String> sources, List<String> tags) {
    public GroupKey {
      sources = sources == null ? null : List.copyOf(sources);
      tags = tags == null ? null : List.copyOf(tags);
    }

    /** Human-readable form, e.g. {@code host db1, plan infra, sources [files, mysql]}; "all snapshots" if ungrouped. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      if (host != null) {
        parts.add("host " + host);
      }
      if (plan != null) {
        parts.add("plan " + (plan.isEmpty() ? "(none)" : plan));
      }
      if (sources != null) {
        parts.add("sources " + sources);
      }
      if (tags != null) {
        parts.add("tags " + tags);
      }
      return parts.isEmpty() ? "all snapshots" : String.join(", ", parts);
    }
  }

  /**
   * The decision for one snapshot.
   *
   * @param snapshot the snapshot
   * @param keep whether it is kept
   * @param reasons the rules that kept it, e.g. {@code daily 3 of 7}, {@code within 30d},
   *     {@code tag prod}, {@code last 2 of 5}; empty when removed
   */
  public record Decision(Snapshot snapshot, boolean keep, List<String> reasons) {
    public Decision {
      Objects.requireNonNull(snapshot, "snapshot");
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * One group and its decisions, newest snapshot first.
   *
   * @param key what the group's snapshots share
   * @param decisions one per snapshot of the group, newest first
   */
  public record Group(GroupKey key, List<Decision> decisions) {
    public Group {
      Objects.requireNonNull(key, "key");
      decisions = List.copyOf(decisions);
    }

    /** The snapshots kept in this group, newest first. */
    public List<Snapshot> keep() {
      return decisions.stream().filter(Decision::keep).map(Decision::snapshot).toList();
    }

    /** The snapshots removed from this group, newest first. */
    public List<Snapshot> remove() {
      return decisions.stream().filter(d -> !d.keep()).map(Decision::snapshot).toList();
    }
  }

  /** Every decision over all groups. */
  public List<Decision> decisions() {
    return groups.stream().flatMap(g -> g.decisions().stream()).toList();
  }

  /** Every snapshot kept, over all groups. */
  public List<Snapshot> keep() {
    return groups.stream().flatMap(g -> g.keep().stream()).toList();
  }

  /** Every snapshot to remove, over all groups: what {@code forget} deletes. */
  public List<Snapshot> remove() {
    return groups.stream().flatMap(g -> g.remove().stream()).toList();
  }

  /**
   * The dry-run table: per group, the kept snapshots with their reasons and the removed ones, oldest
   * first, times in the policy's zone, like restic's {@code forget --dry-run}.
   */
  public String render() {
    return RetentionTable.render(this);
  }

  /**
   * A JSON-friendly form (records of strings, lists and booleans only) for {@code --json}; serialize
   * it with any JSON library that supports records.
   */
  public List<JsonGroup> toJson() {
    ZoneId zone = policy.zone();
    return groups.stream()
        .map(g -> new JsonGroup(
            g.key(),
            g.decisions().stream().filter(Decision::keep).map(d -> json(d, zone)).toList(),
            g.decisions().stream().filter(d -> !d.keep()).map(d -> json(d, zone)).toList()))
        .toList();
  }

  private static JsonSnapshot json(Decision d, ZoneId zone) {
    Snapshot s = d.snapshot();
    return new JsonSnapshot(
        s.id().hex(),
        s.id().shortHex(),
        JSON_TIME.format(s.time().atZone(zone)),
        s.host(),
        s.plan(),
        s.tags(),
        s.sources().stream().map(SnapshotSource::name).toList(),
        d.reasons());
  }

  /**
   * One group in the {@code --json} output.
   *
   * @param group what the group's snapshots share (null components: not grouped by)
   * @param keep the kept snapshots, newest first
   * @param remove the removed snapshots, newest first
   */
  public record JsonGroup(GroupKey group, List<JsonSnapshot> keep, List<JsonSnapshot> remove) {
    public JsonGroup {
      keep = List.copyOf(keep);
      remove = List.copyOf(remove);
    }
  }

  /**
   * One snapshot in the {@code --json} output.
   *
   * @param id full hex id
   * @param shortId the first 8 hex digits
   * @param time ISO-8601 time with the offset of the policy's zone
   * @param host the host
   * @param plan the plan name
   * @param tags the tags
   * @param sources the source names
   * @param reasons why it is kept (empty for removed snapshots)
   */
  public record JsonSnapshot(
      String id, String shortId, String time, String host, String plan, List<String> tags, List<String> sources, List<String> reasons) {
    public JsonSnapshot {
      tags = List.copyOf(tags);
      sources = List.copyOf(sources);
      reasons = List.copyOf(reasons);
    }
  }
}
