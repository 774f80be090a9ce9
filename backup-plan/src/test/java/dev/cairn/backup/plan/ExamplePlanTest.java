package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.Check;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.SourceFactory;
import dev.cairn.backup.spi.SourceSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The example plan in {@code examples/plans/infra.yaml} reads and validates. The MySQL and InfluxDB
 * modules are not dependencies of backup-plan, so their source types are stood in for by factories that
 * accept the keys docs/plans.md documents for them.
 */
class ExamplePlanTest {
  private record StubSource(String name, String type, java.util.Optional<dev.cairn.backup.Secret> password)
      implements Source {
    @Override
    public void backup(SourceContext context) {}
  }

  private record StubFactory(String type, Set<String> keys) implements SourceFactory {
    @Override
    public Source create(SourceSettings settings) {
      settings.string("url").orElseThrow(() -> settings.error(null, "missing required key 'url'"));
      // as the real factories do: the secret is taken at build time, read only when used
      return new StubSource(settings.name(), type, settings.secret("password"));
    }
  }

  private static final List<SourceFactory> DATABASES = List.of(
      new StubFactory("mysql", Set.of("url", "user", "password", "databases", "exclude-databases", "tables",
          "exclude-tables", "threads", "lock-wait-timeout", "include-users")),
      new StubFactory("influx", Set.of("url", "version", "username", "password", "token", "org", "databases",
          "buckets", "measurements", "window", "incremental-horizon")));

  @org.junit.jupiter.api.io.TempDir Path s3;

  @Test
  void examplePlanMirrorsTheTeamsPlan() throws IOException {
    System.setProperty("cairn.test.s3.root", s3.toString());   // s3:// opens a directory (FakeS3StorageProvider)
    Path file = TestResources.projectRoot().resolve("examples/plans/infra.yaml");
    PlanFile plan;
    try (Reader r = Files.newBufferedReader(file)) {
      plan = PlanFile.read(file, r, DATABASES);
    }
    assertThat(plan.name()).isEqualTo("infra");
    assertThat(plan.sources()).extracting(PlanFile.SourceSpec::type).containsExactly("mysql", "influx", "files");
    assertThat(plan.sources().get(2).settings().strings("include"))
        .contains("group_vars/all.yaml", "roles/*/tasks/main.yaml");
    assertThat(plan.primary().name()).isEqualTo("local");
    assertThat(plan.primary().retention()).containsEntry("keep-daily", "7");
    assertThat(plan.targets().get(1).storages()).hasSize(2);
    assertThat(plan.targets().get(2).storages().get(0)).startsWith("s3://");
    // daily local, weekly drives, monthly off site
    Instant from = Instant.parse("2026-11-28T12:00:00Z");
    assertThat(plan.primary().schedule().nextAfter(from)).isEqualTo("2026-11-29T01:00:00Z");
    assertThat(plan.targets().get(1).schedule().nextAfter(from)).isEqualTo("2026-11-29T03:00:00Z");
    assertThat(plan.targets().get(2).schedule().nextAfter(from)).isEqualTo("2026-12-01T04:00:00Z");
    assertThat(plan.rpo()).contains(Duration.ofHours(24));
    assertThat(plan.rto()).contains(Duration.ofHours(12));
    assertThat(plan.checks()).extracting(Check::name).contains(
        "command:ansible-playbook --syntax-check infra.yaml", "reachable:mysql", "reachable:influx");
    // and it builds a plan: sources, the primary target, checks, objectives
    BackupPlan built = plan.toPlan();
    assertThat(built.name()).isEqualTo("infra");
    assertThat(built.sources()).extracting(Source::name).containsExactly("mysql", "influx", "ansible");
    assertThat(built.target().name()).isEqualTo("local");
    assertThat(built.checks()).hasSize(4);
    assertThat(built.rpo()).contains(Duration.ofHours(24));
    assertThat(built.rto()).contains(Duration.ofHours(12));
    assertThat(built.drillReports()).contains(Path.of("/var/lib/cairn/drills"));
    // copies to the two drives in turn and off site; the plan meets its RPO and 3-2-1
    assertThat(built.copyTargets()).extracting(dev.cairn.backup.Rotation::name).containsExactly("drives", "offsite");
    assertThat(built.copyTargets().get(0).drives()).extracting(dev.cairn.backup.Target::name)
        .containsExactly("drives-1", "drives-2");
    assertThat(built.target().retention()).isNotNull();
    assertThat(built.target().prune()).as("local prunes after its retention").isNotNull();
    assertThat(built.objectiveViolations()).isEmpty();
    // read and built without the database password in the environment ('plan validate' on a CI machine);
    // using it is what fails, naming the variable
    StubSource mysql = (StubSource) built.sources().get(0);
    assertThat(mysql.password()).isPresent();
    if (System.getenv("CAIRN_MYSQL_PASSWORD") == null) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> mysql.password().orElseThrow().reveal())
          .hasMessageContaining("CAIRN_MYSQL_PASSWORD").hasMessageContaining("is not set");
    }
  }
}
