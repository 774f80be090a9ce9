package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.*;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.InMemoryStorage;
import dev.cairn.backup.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of README.md and docs/*.md that need no database server or S3, run as written
 * (only paths, secrets and remote storages swapped for temp directories and in-memory storages).
 */
class DocSnippetsTest {
  @TempDir Path tmp;
  Path ansible;
  Encryption encryption = Encryption.passphrase(() -> Secret.of("correct horse"));

  @BeforeEach
  void tree() throws Exception {
    ansible = tmp.resolve("ansible");
    Files.createDirectories(ansible.resolve("group_vars"));
    Files.createDirectories(ansible.resolve("roles/web/tasks"));
    Files.writeString(ansible.resolve("group_vars/all.yaml"), "a: 1\n");
    Files.writeString(ansible.resolve("infra.yaml"), "- hosts: all\n");
    Files.writeString(ansible.resolve("roles/web/tasks/main.yaml"), "- name: x\n");
    Files.writeString(ansible.resolve("roles/web/x.retry"), "retry\n");
  }

  /** docs/api.md "A plan". */
  @Test
  void apiPlan() throws Exception {
    Clock clock = Clock.systemUTC();
    Check myCheck = Checks.of("ok", () -> null);
    List<Progress> samples = new ArrayList<>();
    BackupPlan plan = BackupPlan.builder()
        .name("infra")
        .source(FileSource.of(ansible)
            .include("group_vars/all.yaml", "roles/*/tasks/main.yaml")
            .exclude("**/*.retry"))
        .source(StreamSource.command("pg", "pg/app.sql", List.of("sh", "-c", "echo dump")))
        .target(Target.of("local", Storages.local(tmp.resolve("repo"))))
        .encryption(encryption)
        .compression(Compression.zstd(3))
        .chunking(Chunking.defaults())
        .check(myCheck)
        .addTag("nightly").host("db1").clock(clock).workers(2)
        .progress(samples::add)
        .createRepository(true)
        .build();
    BackupReport report = plan.backup();
    assertThat(report.files()).isGreaterThanOrEqualTo(3);
    List<Snapshot> mine = plan.snapshots();
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).tags()).containsExactly("nightly");
    assertThat(mine.get(0).host()).isEqualTo("db1");
    // as docs/api.md has it: with two sources, the path is looked for in each, and 'pg' lacks it
    assertThatThrownBy(() -> plan.restore(RestoreRequest.builder().snapshot("latest")
        .destination(tmp.resolve("restore")).path("roles/web").build()))
        .isInstanceOf(RestoreException.class).hasMessageContaining("not in source 'pg'");
    RestoreReport restored = plan.restore(RestoreRequest.builder().snapshot("latest")
        .destination(tmp.resolve("restore")).source("files").path("roles/web").build());
    assertThat(restored.verified()).isTrue();
    assertThat(tmp.resolve("restore/roles/web/tasks/main.yaml")).exists();
    VerifyReport verified = plan.verify(true);
    assertThat(verified.ok()).isTrue();
    assertThat(samples).isNotEmpty();

    // "non-zero exit: no snapshot"
    BackupPlan failing = plan.toBuilder().build();
    BackupPlan bad = BackupPlan.builder().name("bad")
        .source(StreamSource.command("pg", "pg/app.sql", List.of("sh", "-c", "echo part; exit 3")))
        .target(Target.of("local", Storages.local(tmp.resolve("repo")))).encryption(encryption).build();
    assertThatThrownBy(bad::backup).isInstanceOf(SourceException.class);
    assertThat(failing.snapshots()).hasSize(1);
  }

  /** docs/plans.md "Checks". */
  @Test
  void checks() {
    Path etc = ansible;
    List<Check> checks = List.of(
        Checks.yamlParses(etc.resolve("group_vars/all.yaml")),
        Checks.command(etc, Duration.ofMinutes(2), "sh", "-c", "exit 1").onFailure(Check.OnFailure.MARK),
        Checks.of("replica in sync", () -> {
          if (replicaLagSeconds() > 60) {
            throw new IllegalStateException("replica lags " + replicaLagSeconds() + " s");
          }
          return null;
        }));
    List<CheckOutcome> outcomes = Checks.runAll(checks, Clock.systemUTC());
    assertThat(outcomes).extracting(CheckOutcome::passed).containsExactly(true, false, false);
    assertThatThrownBy(() -> Checks.requireNoAbort(outcomes)).isInstanceOf(BackupException.class)
        .hasMessageContaining("replica in sync").hasMessageNotContaining("command:");
  }

  private long replicaLagSeconds() {
    return 61;
  }

  /** README.md "Using Cairn from Java" (database sources need servers: the file part, same targets). */
  @Test
  void readmeObjectivesAndCopies() throws Exception {
    Target usbA = Target.of("usb-a", Storages.local(tmp.resolve("usb-a")));
    Target usbB = Target.of("usb-b", Storages.local(tmp.resolve("usb-b")));
    Storage s3Storage = new InMemoryStorage();
    BackupPlan plan = BackupPlan.builder()
        .name("infra")
        .source(FileSource.of(ansible).include("group_vars/all.yaml", "roles/*/tasks/main.yaml"))
        .check(Checks.yamlParses(ansible.resolve("group_vars/all.yaml")))
        .encryption(encryption)
        .primary(Target.of("local", Storages.local(tmp.resolve("backup")),
            Retention.policy().keepDaily(7).keepWeekly(4)))
        .copyTo(Rotation.of("onsite", usbA, usbB), Schedule.weekly())
        .copyTo(Target.of("offsite", s3Storage, Retention.policy().keepMonthly(12)).withOffsite(true),
            Schedule.monthly())
        .schedule(Schedule.daily())
        .objectives(Duration.ofHours(24), Duration.ofHours(12))
        .createRepository(true)
        .build();
    BackupReport report = plan.backup();
    assertThat(report.copies()).extracting(CopyReport::target).containsExactlyInAnyOrder("usb-a", "offsite");
    assertThat(report.retention()).isNotEmpty();
  }

  /** docs/plans.md "In Java", scheduler and Micrometer. */
  @Test
  void plansInJava() throws Exception {
    Storage s3Storage = new InMemoryStorage();
    List<String> paged = new ArrayList<>();
    BackupPlan plan = BackupPlan.builder()
        .name("infra")
        .source(FileSource.of(ansible).name("ansible")
            .include("infra.yaml", "group_vars/all.yaml", "roles/*/tasks/main.yaml"))
        .primary(Target.of("local", Storages.local(tmp.resolve("cairn")),
            Retention.policy().keepDaily(7).keepWeekly(4)).withPrune(PruneOptions.DEFAULTS))
        .schedule(Schedule.cron("0 2 * * *"))
        .copyTo(Rotation.of("drives", Target.of("drive-a", Storages.local(tmp.resolve("backup-a"))),
            Target.of("drive-b", Storages.local(tmp.resolve("backup-b")))), Schedule.weekly())
        .copyTo(Target.of("offsite", s3Storage, Retention.policy().keepMonthly(12))
            .withObjectLock(Duration.ofDays(400)), Schedule.monthly())
        .encryption(encryption)
        .check(Checks.yamlParses(ansible.resolve("group_vars/all.yaml")))
        .hooks(new PlanHooks() {
          @Override public void onFailure(HookEvent e, Throwable t) { paged.add("backup failed: " + t.getMessage()); }
        })
        .objectives(Duration.ofHours(24), Duration.ofHours(12))
        .drillReports(tmp.resolve("drills"))
        .drillRestorer("mysql", dir -> { throw new AssertionError("no mysql source"); })
        .createRepository(true)
        .build();
    BackupReport backup = plan.backup();
    assertThat(backup.copies()).allMatch(CopyReport::succeeded);
    DrillReport drill = plan.drill();
    assertThat(drill.passed()).isTrue();
    HealthReport health = plan.health();
    assertThat(health.ok()).as(health.toText()).isTrue();
    assertThat(paged).isEmpty();

    SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    PlanMetrics metrics = new PlanMetrics(plan.health());
    metrics.bindTo(meterRegistry);
    metrics.update(plan.health());
    assertThat(meterRegistry.find("cairn.snapshot.age").gauge()).isNotNull();
    assertThat(meterRegistry.find("cairn.objective.ok").tag("objective", "RPO").gauge().value()).isEqualTo(1.0);

    Scheduler scheduler = Scheduler.builder()
        .job("infra", Schedule.cron("0 2 * * *", ZoneId.of("Europe/Berlin")), plan::backup,
            () -> plan.snapshots().stream().map(Snapshot::time).max(Comparator.naturalOrder()))
        .build();
    scheduler.start();
    scheduler.stop();
  }

  /** docs/copy.md. */
  @Test
  void copy() {
    Storage s3 = new InMemoryStorage();
    BackupPlan plan = BackupPlan.builder()
        .name("infra")
        .source(FileSource.of(ansible).include("group_vars/all.yaml", "roles/*/tasks/main.yaml"))
        .encryption(encryption)
        .primary(Target.of("local", Storages.local(tmp.resolve("backup"))))
        .copyTo(Rotation.of("onsite",
                Target.of("usb-a", Storages.local(tmp.resolve("usb-a"))),
                Target.of("usb-b", Storages.local(tmp.resolve("usb-b")))),
            Schedule.weekly())
        .copyTo(Target.of("offsite", s3), Schedule.monthly())
        .createRepository(true)
        .build();
    BackupReport report = plan.backup();
    List<String> lines = new ArrayList<>();
    for (CopyReport copy : report.copies()) {
      lines.add(copy.target() + ": " + (copy.succeeded()
          ? copy.copied().size() + " snapshot(s), " + copy.bytesStored() + " bytes uploaded"
          : "FAILED: " + copy.failure()));
    }
    assertThat(lines).hasSize(2).allMatch(l -> l.contains("1 snapshot(s)"));
    // the second backup on the same day: no copy is due
    assertThat(plan.backup().copies()).isEmpty();
  }

  /** docs/retention.md, both snippets. */
  @Test
  void retention() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    Storage storage = new InMemoryStorage();
    Secret secret = Secret.of("pw");
    try (Repository repo = Repository.builder(storage).passphrase(secret).clock(clock).init()) {
      for (int i = 0; i < 20; i++) {
        Files.writeString(ansible.resolve("day.txt"), "day " + i);
        repo.backup(List.of(FileSource.of(ansible)), BackupOptions.builder().clock(clock).build());
        clock.advance(Duration.ofDays(1));
      }
      List<Snapshot> snapshots = repo.snapshots();
      Retention onSite = Retention.policy().keepDaily(7).keepWeekly(4).zone(ZoneId.of("Europe/Berlin"));
      Retention offSite = Retention.policy().keepMonthly(12).keepTag("pinned");
      RetentionPlan plan = onSite.apply(snapshots, clock.instant());
      assertThat(plan.render()).isNotBlank();
      List<Snapshot> toForget = plan.remove();
      assertThat(toForget).isNotEmpty();
      assertThat(offSite.apply(snapshots, clock.instant()).remove()).isNotEmpty();
    }
    try (Repository repo = Repository.builder(storage).passphrase(secret).clock(clock).open()) {
      RetentionPlan plan = repo.forget(Retention.policy().keepDaily(7).keepWeekly(4), false);
      PruneReport report = repo.prune(PruneOptions.builder().maxUnused("10%").build());
      assertThat(report.render()).isNotBlank();
      assertThat(repo.snapshots()).hasSize(plan.keep().size());
    }
  }

  /** docs/storage.md (S3 swapped for an in-memory storage). */
  @Test
  void storageDecorators() throws Exception {
    Storage offsite = Storages.retrying(Storages.rateLimited(new InMemoryStorage(), 2_000_000, 0), 8);
    try (Repository repo = Repository.builder(offsite).passphrase(Secret.of("pw")).init()) {
      repo.backup(List.of(FileSource.of(ansible)));
      assertThat(repo.verify(true).ok()).isTrue();
    }
  }
}
