package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.DrillReport;
import dev.cairn.backup.DrillReports;
import dev.cairn.backup.plan.PlanFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML plan's restore drill of an InfluxDB source against a real influxd (scripts/influxd-test.sh):
 * the newest snapshot is restored into a scratch database on the same server through the {@code influx}
 * type's {@link InfluxSourceFactory}, verified by the recorded point counts and checksums, and the
 * scratch database is dropped. In this package to reuse backup-influx's {@link InfluxServer} (test-jar).
 */
class InfluxDrillIT {
  @RegisterExtension static InfluxServer influx = InfluxServer.plain();
  @TempDir Path dir;

  @Test
  void drillRestoresIntoAScratchDatabaseVerifiesAndDropsIt() throws Exception {
    influx.execute("CREATE DATABASE telegraf");
    long t0 = 1_764_000_000_000_000_000L;
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      lines.append("cpu,host=h").append(i % 3).append(" usage=").append(i * 0.5).append(",count=").append(i)
          .append("i ").append(t0 + i * 60_000_000_000L).append('\n');
    }
    lines.append("mem,host=h0 free=1024i,label=\"ok\" ").append(t0).append('\n');
    influx.write("telegraf", null, lines.toString());

    Files.writeString(dir.resolve("passphrase"), "drill passphrase\n");
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, """
        name: metrics
        sources:
          - name: influx
            type: influx
            url: %s
            databases: [telegraf]
            window: 1d
        encryption:
          passphrase: {file: passphrase}
        targets:
          - {name: local, storage: repo}
        drill: {scratch: scratch, reports: drills}
        """.formatted(influx.url()));
    PlanFile planFile = PlanFile.read(file);
    assertThat(planFile.sources().get(0).factory()).isInstanceOf(InfluxSourceFactory.class);
    BackupPlan plan = planFile.toPlanBuilder().createRepository(true).build();
    plan.backup();

    DrillReport drill = plan.drill();
    assertThat(drill.passed()).as(() -> DrillReports.toText(drill)).isTrue();
    DrillReport.SourceResult result = drill.sources().get(0);
    assertThat(result.destination()).contains(influx.url()).contains("_cairn_drill_");
    assertThat(result.results()).isNotEmpty().allMatch(r -> r.ok());
    assertThat(DrillReports.toText(drill)).contains("cpu");
    // the scratch database is gone, the live one untouched
    String databases = influx.execute("SHOW DATABASES");
    assertThat(databases).contains("telegraf").doesNotContain("_cairn_drill_");
  }
}
