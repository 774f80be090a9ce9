package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.ObjectiveViolation;
import dev.cairn.backup.Retention;
import dev.cairn.backup.Rotation;
import dev.cairn.backup.Schedule;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import dev.cairn.backup.plan.fakes.FakeMySqlSource;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.testing.InMemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan proves at build time that its schedule, targets, retention and Object Lock meet its objectives. */
class PlanObjectivesTest {
  @TempDir Path dir;

  private record FilesLike(String name) implements Source {
    @Override public String type() { return "files"; }
    @Override public void backup(SourceContext context) {}
  }

  private static final Duration RPO = Duration.ofHours(24);
  private static final Duration RTO = Duration.ofHours(12);

  /** The team's plan: daily local, weekly alternating drives, monthly off site (S3-like, in memory). */
  private BackupPlan.Builder teamPlan(UnaryOperator<Target> offsite) {
    return BackupPlan.builder().name("infra")
        .source(new FilesLike("ansible"))
        .encryption(Encryption.passphrase(() -> Secret.of("pw")))
        .primary(Target.of("local", Storages.local(dir.resolve("local")), Retention.policy().keepDaily(7).keepWeekly(4)))
        .schedule(Schedule.cron("0 2 * * *", ZoneOffset.UTC))
        .copyTo(Rotation.of("drives", Target.of("drive-a", Storages.local(dir.resolve("a"))),
            Target.of("drive-b", Storages.local(dir.resolve("b")))), Schedule.weekly().withZone(ZoneOffset.UTC))
        .copyTo(offsite.apply(Target.of("offsite", new InMemoryStorage(), Retention.policy().keepMonthly(12))),
            Schedule.monthly().withZone(ZoneOffset.UTC))
        .objectives(RPO, RTO);
  }

  @Test
  void planMeetingItsObjectivesBuilds() {
    BackupPlan plan = teamPlan(t -> t.withObjectLock(Duration.ofDays(400))).build();
    assertThat(plan.objectiveViolations()).isEmpty();
    assertThat(plan.copyTargets()).extracting(Rotation::name).containsExactly("drives", "offsite");
  }

  private BackupPlan.Builder plan(Target primary, Schedule schedule, Target... copies) {
    BackupPlan.Builder b = BackupPlan.builder().name("infra").source(new FilesLike("ansible"))
        .encryption(Encryption.passphrase(() -> Secret.of("pw"))).primary(primary).objectives(RPO, RTO);
    if (schedule != null) {
      b.schedule(schedule);
    }
    for (Target c : copies) {
      b.copyTo(c, Schedule.weekly());
    }
    return b;
  }

  private Target local(String name) {
    return Target.of(name, Storages.local(dir.resolve(name)));
  }

  private static final Schedule DAILY = Schedule.daily().withZone(ZoneOffset.UTC);

  @Test
  void backupsLessOftenThanTheRpoFail() {
    assertThatThrownBy(() -> plan(local("local"), Schedule.weekly().withZone(ZoneOffset.UTC), local("nas"),
        Target.of("offsite", new InMemoryStorage())).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("plan 'infra' cannot meet its objectives")
        .hasMessageContaining("RPO: RPO 1d: target 'local' receives a backup every 7d")
        .hasMessageContaining("objectivesPolicy(WARN)");
  }

  @Test
  void anRpoWithoutAScheduleCannotBeProven() {
    assertThatThrownBy(() -> plan(local("local"), null, local("nas"), Target.of("offsite", new InMemoryStorage())).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("RPO: RPO 1d: the plan has no backup schedule");
  }

  @Test
  void fewerThanThreeCopiesFail() {
    assertThatThrownBy(() -> plan(local("local"), DAILY, Target.of("offsite", new InMemoryStorage())).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("THREE_COPIES: three copies: the plan keeps its backups in 2 place(s) ['local', 'offsite']");
  }

  @Test
  void copiesOnOneKindOfStorageFail() {
    assertThatThrownBy(() -> plan(local("local"), DAILY, local("nas"), local("vault").withOffsite(true)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TWO_STORAGES: two storages: every target is on local storage")
        .hasMessageNotContaining("OFF_SITE");
  }

  @Test
  void noCopyOffSiteFails() {
    assertThatThrownBy(() -> plan(local("local"), DAILY, local("nas"),
        Target.of("basement", new InMemoryStorage()).withOffsite(false)).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OFF_SITE: one copy off site: none of ['local', 'nas', 'basement'] is off site");
  }

  @Test
  void objectLockShorterThanRetentionFails() {
    assertThatThrownBy(() -> teamPlan(t -> t.withObjectLock(Duration.ofDays(30))).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OBJECT_LOCK: Object Lock: target 'offsite' locks objects for 30d but its retention")
        .hasMessageContaining("lock for at least");
  }

  @Test
  void anRtoNeedsEverySourceDrillable() {
    Source mysql = FakeMySqlSource.builder().name("mysql").url("jdbc:mysql://127.0.0.1:3306/").build();
    assertThatThrownBy(() -> teamPlan(t -> t).source(mysql).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("RTO: RTO 12h: source 'mysql' (type mysql) has no drill restorer");
    BackupPlan drillable = teamPlan(t -> t).source(mysql).drillRestorer("mysql", d -> {
      throw new UnsupportedOperationException("not drilled in this test");
    }).build();
    assertThat(drillable.objectiveViolations()).isEmpty();
  }

  @Test
  void warnPolicyBuildsAndListsTheViolations() {
    BackupPlan plan = plan(local("local"), Schedule.weekly(), Target.of("offsite", new InMemoryStorage()))
        .objectivesPolicy(BackupPlan.ObjectivesPolicy.WARN).build();
    assertThat(plan.objectiveViolations()).extracting(ObjectiveViolation::objective)
        .containsExactly(ObjectiveViolation.Objective.RPO, ObjectiveViolation.Objective.THREE_COPIES);
    // a changed copy keeps the policy
    assertThat(plan.toBuilder().build().objectiveViolations()).hasSize(2);
  }

  @Test
  void planFilesSayFailOrWarn() throws IOException {
    String yaml = """
        name: infra
        sources:
          - {name: ansible, type: files, root: .}
        encryption:
          passphrase: {env: CAIRN_TEST_UNSET_VARIABLE}
        targets:
          - name: local
            storage: local
            schedule: weekly
          - name: offsite
            storage: s3://bucket/infra
            schedule: monthly
        objectives: {rpo: 24h, rto: 12h%s}
        """;
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, yaml.formatted(""));
    System.setProperty("cairn.test.s3.root", dir.resolve("s3").toString());
    assertThatThrownBy(() -> PlanFile.read(file).toPlan()).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("RPO: RPO 1d: target 'local' receives a backup every 7d")
        .hasMessageContaining("THREE_COPIES");
    Files.writeString(file, yaml.formatted(", enforce: warn"));
    assertThat(PlanFile.read(file).toPlan().objectiveViolations()).hasSize(2);
    Files.writeString(file, yaml.formatted(", enforce: maybe"));
    assertThatThrownBy(() -> PlanFile.read(file)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 13").hasMessageContaining("objectives.enforce: expected 'fail'");
  }
}
