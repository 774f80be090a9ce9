package dev.cairn.backup;

import dev.cairn.backup.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies a plan makes after each backup: for every copy target (a {@link Rotation} of one or
 * more drives with a {@link Schedule}), decide whether a copy is due and to which drive, and copy
 * the new snapshot there. Stateless; state lives in the target repositories (their newest snapshot
 * of the plan), so a restarted program decides the same.
 */
final class PlanCopies {
  private static final Logger LOG = LoggerFactory.getLogger(PlanCopies.class);

  /** A copy target of a plan; {@code encryption} null means the plan's own. */
  record CopyTarget(Rotation rotation, Schedule schedule, Encryption encryption) {
    CopyTarget {
      Objects.requireNonNull(rotation, "rotation");
      Objects.requireNonNull(schedule, "schedule");
    }
  }

  /** A drive of a rotation as found before a copy: its newest copy of the plan, or why it cannot be used. */
  private record DriveState(int order, Target drive, Instant newest, boolean exists, String problem) {}

  private PlanCopies() {}

  /**
   * Copies {@code snapshot} from {@code primary} to every copy target that is due.
   *
   * @param builders makes a repository builder for a storage with the given encryption (null: the plan's)
   * @param retention receives the report of each destination drive's retention, applied after its copy
   */
  static List<CopyReport> run(List<CopyTarget> targets, Repository primary, Snapshot snapshot, String plan,
      String host, Clock clock, boolean create, BiFunction<Storage, Encryption, Repository.Builder> builders,
      ProgressListener progress, List<RetentionReport> retention) {
    List<CopyReport> out = new ArrayList<>();
    Instant now = clock.instant();
    for (CopyTarget t : targets) {
      long start = System.nanoTime();
      List<DriveState> states = new ArrayList<>();
      for (int i = 0; i < t.rotation().drives().size(); i++) {
        states.add(inspect(i, t.rotation().drives().get(i), t.encryption(), plan, host, create, builders, now));
      }
      Instant last = states.stream().map(DriveState::newest).filter(Objects::nonNull).max(Comparator.naturalOrder())
          .orElse(null);
      if (last != null && t.schedule().nextAfter(last).isAfter(now)) {
        LOG.debug("no copy due to {}: newest copy {}, schedule {}", t.rotation().name(), last, t.schedule());
        continue;
      }
      List<DriveState> usable = states.stream().filter(s -> s.problem() == null)
          .sorted(Comparator.comparing(DriveState::newest, Comparator.nullsFirst(Comparator.naturalOrder()))
              .thenComparingInt(DriveState::order))
          .toList();
      if (usable.isEmpty()) {
        String why = states.stream().map(s -> s.drive().name() + ": " + s.problem()).toList().toString();
        LOG.warn("a copy to {} is due but no drive can be used: {}", t.rotation().name(), why);
        out.add(CopyReport.failed(t.rotation().name(), "", "a copy is due but no drive of '" + t.rotation().name()
            + "' can be used: " + why + "; plug one in or check its storage", elapsed(start)));
        continue;
      }
      DriveState chosen = usable.get(0);
      Target drive = chosen.drive();
      for (DriveState s : states) {
        if (s.problem() != null) {
          LOG.info("copy to {}: drive {} skipped ({}), {} used", t.rotation().name(), s.drive().name(), s.problem(),
              drive.name());
        }
      }
      try {
        Repository.Builder b = builders.apply(drive.storage(), t.encryption());
        try (Repository dest = chosen.exists() ? b.open() : b.chunkingFrom(primary).init()) {
          out.add(primary.copySnapshots(dest, List.of(snapshot), drive.name(), progress));
          RetentionReport r = PlanRetention.apply(dest, drive, plan);
          if (r != null) {
            retention.add(r);
          }
        }
      } catch (BackupException e) {
        LOG.warn("copy of snapshot {} to {} failed: {}", snapshot.id().shortHex(), drive.name(), e.getMessage());
        out.add(CopyReport.failed(drive.name(), drive.storage().location(), e.getMessage(), elapsed(start)));
      }
    }
    return out;
  }

  private static DriveState inspect(int order, Target drive, Encryption encryption, String plan, String host,
      boolean create, BiFunction<Storage, Encryption, Repository.Builder> builders, Instant now) {
    try {
      if (!Repository.exists(drive.storage())) {
        return new DriveState(order, drive, null, false, create ? null
            : "no repository at " + drive.storage().location() + " (create it with 'cairn init', or let the plan create it)");
      }
      try (Repository r = builders.apply(drive.storage(), encryption).open()) {
        // a copy dated after now (a clock that was wrong) must not make the next copies look not due
        // this host's copies: another host's copies of the same plan do not make this host's copy not due
        Instant newest = r.snapshots().stream().filter(s -> s.plan().equals(plan) && s.host().equals(host))
            .map(Snapshot::time)
            .filter(time -> !time.isAfter(now)).max(Comparator.naturalOrder()).orElse(null);
        return new DriveState(order, drive, newest, true, null);
      }
    } catch (BackupException e) {
      return new DriveState(order, drive, null, false, e.getMessage());
    }
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
