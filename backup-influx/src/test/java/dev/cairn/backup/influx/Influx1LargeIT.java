package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A measurement of one million points through backup, restore and verification. */
class Influx1LargeIT {
  @RegisterExtension
  static InfluxServer influx = InfluxServer.plain();

  static final int POINTS = 1_000_000;

  @Test
  void roundTripsOneMillionPoints(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE big");
    long start = 1_700_000_000_000_000_000L;
    long step = 864_000_000_000L; // 100 points per day per host... spread over 10 days
    StringBuilder sb = new StringBuilder(8 << 20);
    for (int i = 0; i < POINTS; i++) {
      sb.append("cpu,host=h").append(i % 100).append(",dc=d").append(i % 3)
          .append(" usage=").append(i * 0.001).append(",n=").append(i).append("i,ok=").append(i % 2 == 0)
          .append(' ').append(start + (i / 100) * step / 1000 * 1000 + i % 100).append('\n');
      if ((i + 1) % 100_000 == 0) {
        influx.write("big", null, sb.toString().getBytes(StandardCharsets.UTF_8));
        sb.setLength(0);
      }
    }
    assertThat(influx.query("big", "SELECT COUNT(n) FROM cpu")).contains("," + POINTS + "]");

    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).database("big").build(), dir);
    Verification total = h.verifications().get("big/autogen/cpu");
    assertThat(total.count()).isEqualTo(POINTS);
    assertThat(h.entries().keySet().stream().filter(p -> p.endsWith(".lp")).count()).isGreaterThan(5);

    RestoreResult r = h.restore(InfluxRestorer.v1(influx.url()).target("big2").batchSize(20_000).build());

    assertThat(r.verified()).as(r.results().toString()).isTrue();
    for (String q : new String[] {"SELECT COUNT(*), SUM(n), SUM(usage) FROM cpu", "SELECT COUNT(*) FROM cpu GROUP BY *",
        "SELECT * FROM cpu WHERE host = 'h7' AND time < " + (start + 200 * step) + " GROUP BY *"}) {
      assertThat(influx.query("big2", q)).isEqualTo(influx.query("big", q));
    }
  }
}
