package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge cases of the 1.x backup and restore against a real influxd 1.6.7: the ends of InfluxDB's time,
 * RESAMPLE continuous queries under a rename, drills beside production, windows at the retention cut.
 */
class Influx1EdgesIT {
  @RegisterExtension
  static InfluxServer influx = InfluxServer.plain();

  /** InfluxDB accepts a point at its largest time (math.MaxInt64 - 1); the backup must keep it. */
  @Test
  void pointAtTheLargestTimeIsBackedUp(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE edge");
    long max = Long.MAX_VALUE - 1;
    influx.write("edge", null, "far v=1i 1000\nfar v=2i " + max);
    String stored = influx.query("edge", "SELECT * FROM far");
    assertThat(stored).as("the server stores the point").contains(Long.toString(max));

    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).database("edge").build(), dir);
    assertThat(h.verifications().get("edge/autogen/far").count()).as("points backed up").isEqualTo(2);

    RestoreResult r = h.restore(InfluxRestorer.v1(influx.url()).rename("edge", "edge_copy").build());
    assertThat(r.verified()).isTrue();
    assertThat(influx.query("edge_copy", "SELECT * FROM far")).isEqualTo(stored);
  }

  @Test
  void aDrillDoesNotRecreateContinuousQueriesThatWouldWriteIntoProduction(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE prod");
    influx.execute("CREATE DATABASE rollup");
    influx.write("prod", null, "cpu v=1 1000\ncpu v=3 2000");
    influx.execute("CREATE CONTINUOUS QUERY cq_prod ON prod BEGIN SELECT mean(v) INTO rollup.autogen.cpu_mean"
        + " FROM prod.autogen.cpu GROUP BY time(1h) END");
    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).database("prod").build(), dir);
    try (InfluxScratchRestorer scratch = InfluxScratchRestorer.v1(influx.url(), null, null)) {
      RestoreResult r = h.restore(scratch.restorer());
      assertThat(r.verified()).isTrue();
      String cqs = influx.execute("SHOW CONTINUOUS QUERIES");
      assertThat(cqs).contains("cq_prod ON prod BEGIN").doesNotContain("ON prod_cairn_drill_");
    }
  }

  @Test
  void resampleContinuousQueryIsRestoredOnTheRenamedDatabase(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE rs");
    influx.write("rs", null, "m v=1 1000");
    influx.execute("CREATE CONTINUOUS QUERY cq_rs ON rs RESAMPLE EVERY 2h FOR 4h BEGIN SELECT mean(v) INTO "
        + "rs.autogen.m_1h FROM rs.autogen.m GROUP BY time(1h) END");
    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).database("rs").build(), dir);
    // the CQ was removed from production after the backup
    influx.execute("DROP CONTINUOUS QUERY cq_rs ON rs");

    RestoreResult r = h.restore(InfluxRestorer.v1(influx.url()).rename("rs", "rs_copy").build());
    assertThat(r.verified()).isTrue();
    String cqs = influx.execute("SHOW CONTINUOUS QUERIES");
    assertThat(cqs).as("CQ on the copy").contains("cq_rs ON rs_copy");
    assertThat(cqs).as("no CQ put back on the original database").doesNotContain("cq_rs ON rs ");
  }

  /**
   * Incremental mode with a finite retention policy: a closed window that began before the retention
   * cut but ends after it still holds points inside the retention period (and InfluxDB keeps its
   * shard); the incremental backup must neither drop it nor lose those points.
   */
  @Test
  void incrementalBackupKeepsAWindowStraddlingTheRetentionCut(@TempDir Path dir) throws Exception {
    long day = Windows.DAY_NS;
    long h = 3_600_000_000_000L;
    long nowNs = System.currentTimeMillis() * 1_000_000L;
    long s = Math.floorDiv(nowNs, day) * day; // today 00:00 UTC
    long p = s + 12 * h; // today 12:00 UTC: within retention at real time
    influx.execute("CREATE DATABASE ret");
    influx.execute("CREATE RETENTION POLICY two_days ON ret DURATION 48h REPLICATION 1 SHARD DURATION 1h DEFAULT");
    influx.write("ret", "two_days", "m,host=a v=1i " + (s + 13 * h) + "\nm,host=a v=2i " + p);
    // the backup runs 47 h after p: the retention cut (now - 48h) is p - 1h, inside window [s, s + 1d);
    // the point at s + 13h is still inside the retention period
    Clock clock = Clock.fixed(Instant.ofEpochSecond(0, p + 47 * h), ZoneOffset.UTC);
    InfluxSource source = InfluxSource.v1(influx.url()).database("ret").incrementalHorizon(Duration.ofDays(1))
        .clock(clock).build();
    SourceHarness first = SourceHarness.run(source, dir.resolve("1"));
    String window = "ret/two_days/m/" + Windows.name(s, day) + ".lp";
    assertThat(first.entries()).containsKey(window);

    SourceHarness second = SourceHarness.run(source, dir.resolve("2"), first);
    assertThat(second.entries()).as("incremental snapshot keeps the window").containsKey(window);
    assertThat(Files.readString(second.file(window))).contains(Long.toString(s + 13 * h));
    assertThat(second.verifications().get("ret/two_days/m").count()).isEqualTo(first.verifications().get("ret/two_days/m").count());
  }
}
