package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import dev.cairn.backup.spi.VerificationResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** InfluxSource and InfluxRestorer end to end through the real engine: an encrypted repository on disk. */
class InfluxEngineIT {
  @RegisterExtension
  static InfluxServer influx = InfluxServer.plain();

  @Test
  void backsUpIncrementallyIntoARepositoryAndRestoresVerified(@TempDir Path dir) throws Exception {
    long day = Windows.DAY_NS;
    long d0 = 1_790_000_000_000_000_000L / day * day;
    influx.execute("CREATE DATABASE metrics");
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d < 10; d++) {
      for (int i = 0; i < 2_000; i++) {
        sb.append("cpu,host=h").append(i % 20).append(" usage=").append(i * 0.25).append(",n=").append(i)
            .append("i,note=\"a \\\"b\\\" c\" ").append(d0 + d * day + i * 1_000_000_000L).append('\n');
        if (i % 20 == 0) { // a second measurement, exported on another thread at the same time
          sb.append("mem,host=h").append(i % 7).append(" free=").append(i).append("i,ok=true ")
              .append(d0 + d * day + i * 1_000_000_000L).append('\n');
        }
      }
    }
    influx.write("metrics", null, sb.toString());
    Clock clock = Clock.fixed(Instant.ofEpochSecond((d0 + 9 * day + day / 2) / 1_000_000_000L), ZoneOffset.UTC);
    BackupPlan plan = BackupPlan.builder()
        .name("metrics")
        .source(InfluxSource.v1(influx.url()).database("metrics").incrementalHorizon(Duration.ofDays(1))
            .clock(clock).build())
        .target(Target.of("local", Storages.local(dir.resolve("repo"))))
        .encryption(Encryption.passphrase(Secret.of("correct horse battery staple")))
        .createRepository(true)
        .build();

    BackupReport first = plan.backup();
    influx.write("metrics", null, "cpu,host=new usage=1 " + (d0 + 9 * day + 5));
    BackupReport second = plan.backup();

    assertThat(first.warnings()).isEmpty();
    SnapshotSource recorded = second.snapshot().source("influx").orElseThrow();
    assertThat(recorded.type()).isEqualTo("influx");
    assertThat(recorded.metadata()).containsEntry("influx.api", "1");
    assertThat(recorded.verifications()).filteredOn(v -> v.item().equals("metrics/autogen/cpu"))
        .singleElement().satisfies(v -> assertThat(v.count()).isEqualTo(20_001));
    // eight closed windows came from the parent snapshot without a query: only two windows were read
    assertThat(second.bytesRead()).isLessThan(first.bytesRead() / 3);
    assertThat(second.bytesTotal()).isGreaterThan(first.bytesTotal());

    RestoreReport restored = plan.restore(RestoreRequest.builder()
        .restorer("influx", InfluxRestorer.v1(influx.url()).rename("metrics", "metrics_restored").build())
        .build());

    assertThat(restored.verified()).isTrue();
    assertThat(restored.results()).singleElement().satisfies(r -> {
      assertThat(r.results()).hasSize(22).allMatch(VerificationResult::ok);
      assertThat(r.destination()).endsWith("/metrics_restored");
    });
    for (String q : new String[] {"SELECT * FROM cpu GROUP BY *", "SELECT * FROM mem GROUP BY *"}) {
      assertThat(influx.query("metrics_restored", q)).isEqualTo(influx.query("metrics", q)).contains("\"values\"");
    }
  }
}
