package dev.cairn.backup.internal.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.ObjectiveViolation;
import dev.cairn.backup.ObjectiveViolation.Objective;
import dev.cairn.backup.Retention;
import dev.cairn.backup.internal.retention.ObjectivesCheck.Target;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan objectives proven from configuration alone. */
class ObjectivesCheckTest {
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration RPO = Duration.ofHours(24);

  /** The team's plan: daily to a local repository, weekly to two alternating drives, monthly to S3. */
  private static List<Target> teamPlan(Duration offsiteLock) {
    return List.of(
        new Target("local", true, DAY, "/srv/backup", "local", false,
            Retention.policy().keepDaily(7).keepWeekly(4), Duration.ZERO),
        new Target("usb-a", false, Duration.ofDays(14), "/mnt/usb-a", "local", false,
            Retention.policy().keepWeekly(2), Duration.ZERO),
        new Target("usb-b", false, Duration.ofDays(14), "/mnt/usb-b", "local", false,
            Retention.policy().keepWeekly(2), Duration.ZERO),
        new Target("offsite", false, Duration.ofDays(31), "s3://backups/infra", "s3", true,
            Retention.policy().keepMonthly(12), offsiteLock));
  }

  @Test
  void theTeamsPlanMeetsItsObjectives() {
    assertThat(ObjectivesCheck.check(RPO, teamPlan(Duration.ofDays(400)))).isEmpty();
    ObjectivesCheck.requireMet(RPO, teamPlan(Duration.ZERO));
  }

  @Test
  void backupsLessFrequentThanTheRpoAreAViolation() {
    List<Target> targets = teamPlan(Duration.ZERO);
    assertThat(ObjectivesCheck.check(Duration.ofHours(12), targets)).singleElement().satisfies(v -> {
      assertThat(v.objective()).isEqualTo(Objective.RPO);
      assertThat(v.target()).isEqualTo("local");
      assertThat(v.message()).isEqualTo("RPO 12h: target 'local' receives a backup every 1d, so up to 1d of data"
          + " can be lost; schedule backups at least every 12h");
    });
    // copies are not held to the RPO: the monthly off-site copy is fine with a 24 h RPO
    assertThat(ObjectivesCheck.check(RPO, targets)).isEmpty();
    // no RPO set: nothing to prove
    assertThat(ObjectivesCheck.check(null, targets.subList(1, 4))).isEmpty();
    assertThat(ObjectivesCheck.check(RPO, targets.subList(1, 4)))
        .extracting(ObjectiveViolation::objective).containsExactly(Objective.RPO);
  }

  @Test
  void fewerThanThreeCopiesTwoStoragesOrNoOffSiteCopyAreViolations() {
    Target local = new Target("local", true, DAY, "/srv/backup", "local", false, null, Duration.ZERO);
    Target usb = new Target("usb", false, DAY, "/mnt/usb", "local", false, null, Duration.ZERO);
    Target sameDisk = new Target("again", false, DAY, "/srv/backup", "local", false, null, Duration.ZERO);
    Target sftp = new Target("nas", false, DAY, "sftp://nas/backup", "sftp", false, null, Duration.ZERO);

    List<ObjectiveViolation> v = ObjectivesCheck.check(RPO, List.of(local, usb, sameDisk));
    assertThat(v).extracting(ObjectiveViolation::objective)
        .containsExactly(Objective.THREE_COPIES, Objective.TWO_STORAGES, Objective.OFF_SITE);
    assertThat(v.get(0).message()).isEqualTo("three copies: the plan keeps its backups in 2 place(s)"
        + " ['local', 'usb', 'again']; add targets at other locations until there are three");
    assertThat(v.get(1).message()).startsWith("two storages: every target is on local storage;");
    assertThat(v.get(2).message()).startsWith("one copy off site: none of ['local', 'usb', 'again'] is off site;");

    assertThat(ObjectivesCheck.check(RPO, List.of(local, usb, sftp)))
        .extracting(ObjectiveViolation::objective).containsExactly(Objective.OFF_SITE);
  }

  @Test
  void anObjectLockShorterThanWhatRetentionKeepsIsAViolation() {
    List<ObjectiveViolation> v = ObjectivesCheck.check(RPO, teamPlan(Duration.ofDays(90)));
    assertThat(v).singleElement().satisfies(x -> {
      assertThat(x.objective()).isEqualTo(Objective.OBJECT_LOCK);
      assertThat(x.target()).isEqualTo("offsite");
      assertThat(x.message()).startsWith("Object Lock: target 'offsite' locks objects for 90d but its retention (keep 12 monthly")
          .endsWith("keeps snapshots up to 372d12h old; lock for at least 372d12h or keep less");
    });

    Target unbounded = new Target("vault", false, Duration.ofDays(31), "s3://vault", "s3", true,
        Retention.policy().keepYearly(Retention.UNLIMITED), Duration.ofDays(3650));
    Target noRetention = new Target("vault2", false, Duration.ofDays(31), "s3://vault2", "s3", true, null, Duration.ofDays(30));
    assertThat(ObjectivesCheck.check(null, List.of(teamPlan(Duration.ZERO).get(0), unbounded, noRetention)))
        .extracting(ObjectiveViolation::target, x -> x.message().contains("without limit"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("vault", true), org.assertj.core.groups.Tuple.tuple("vault2", true));
  }

  @Test
  void requireMetNamesEveryObjectiveMissed() {
    Target only = new Target("local", true, Duration.ofDays(2), "/srv/backup", "local", false, null, Duration.ZERO);
    assertThatThrownBy(() -> ObjectivesCheck.requireMet(RPO, List.of(only)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("the plan does not meet its objectives:\n  RPO: RPO 1d: target 'local'")
        .hasMessageContaining("\n  THREE_COPIES: ")
        .hasMessageContaining("\n  TWO_STORAGES: ")
        .hasMessageContaining("\n  OFF_SITE: ");
  }

  @Test
  void rejectsMeaninglessTargets() {
    assertThatThrownBy(() -> new Target("x", true, Duration.ZERO, "/x", "local", false, null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target 'x': interval");
  }
}
