package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backup and restore of awkward data through a real InfluxDB 1.x (Debian's influxd 1.6.7). */
class Influx1RoundTripIT {
  @RegisterExtension
  static InfluxServer influx = InfluxServer.plain();

  /** 1959-12-31, a window before the epoch: canonical line protocol, as the export writes it. */
  static final List<String> TEXT_LINES = List.of(
      "weird\\ name\\,with=eq\"q b=false,s=\"\" -315619200000000002",
      "weird\\ name\\,with=eq\"q,k\\ ey=a n=9223372036854775807i,value=-0.1 -315619200000000001",
      "weird\\ name\\,with=eq\"q,k\\ ey=b value=0.1 -315619200000000001",
      "weird\\ name\\,with=eq\"q,k\\ ey=v\\,a\\=l\\ ue,uni✓=ü\"q b=true,f\\=k\\\"ey=1.5,i=-9223372036854775808i,"
          + "s=\"quote\\\" back\\\\slash nl\nnext line ✓ \\\\\" -315619200000000001");

  static final long NOW_DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).getEpochSecond() * 1_000_000_000L;

  @BeforeAll
  static void data() throws Exception {
    influx.execute("CREATE DATABASE awk");
    influx.execute("CREATE RETENTION POLICY hourly ON awk DURATION INF REPLICATION 1 SHARD DURATION 1h");
    influx.execute("CREATE RETENTION POLICY decade ON awk DURATION 87600h REPLICATION 1 SHARD DURATION 1d DEFAULT");
    influx.execute("CREATE CONTINUOUS QUERY cq_mean ON awk BEGIN SELECT mean(value) INTO awk.autogen.cpu_1h "
        + "FROM awk.autogen.cpu GROUP BY time(1h), * END");
    influx.write("awk", "autogen", String.join("\n", TEXT_LINES));
    influx.write("awk", "autogen", """
        cpu,host=a value=0.1,n=9223372036854775807i 946684800123456789
        cpu,host=b value=1e-300 946684800123456789
        cpu,host=a value=1.7976931348623157e308 1700000000000000000
        cpu,host=c value=-0 2208988800000000000
        quo"te s="x\\\\" 1000000000000000000
        back\\slash,t=a\\b f=1 1000000000000000000
        mixed f=1.5 1600000000000000000
        mixed f=2i 1610000000000000000
        mixed f="three" 1620000000000000000
        mixed f=true 1630000000000000000
        """);
    long h = 3_600_000_000_000L;
    long base = NOW_DAY - 3 * 24 * h;
    influx.write("awk", "hourly", "shifty v=1.25 " + base + "\nshifty v=7i " + (base + h) + "\nshifty v=\"s\" "
        + (base + 2 * h) + "\nshifty v=false " + (base + 3 * h + 1) + "\nshifty,k=x v=true " + (base + 3 * h + 2));
    influx.write("awk", "decade", "recent,host=a up=1i " + (NOW_DAY - 10 * 24 * h) + "\nrecent,host=a up=2i " + NOW_DAY);
  }

  @Test
  void roundTripsAwkwardDataExactly(@TempDir Path dir) throws Exception {
    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).database("awk").build(), dir);

    String textEntry = "awk/autogen/weird name,with=eq\"q/1959-12-31.lp";
    assertThat(h.entries()).containsKey(textEntry);
    List<String> expected = new ArrayList<>(TEXT_LINES);
    assertThat(Files.readString(h.file(textEntry))).isEqualTo(String.join("\n", expected) + "\n");
    assertThat(h.entries()).containsKeys("awk/.database.json", "awk/hourly/shifty/"
        + Instant.ofEpochSecond(NOW_DAY / 1_000_000_000L - 3 * 86400).atZone(ZoneOffset.UTC).toLocalDate() + ".lp");
    String shifty = Files.readString(h.file(h.entries().keySet().stream()
        .filter(p -> p.startsWith("awk/hourly/shifty/")).findFirst().orElseThrow()));
    assertThat(shifty).contains("v=1.25 ", "v=7i ", "v=\"s\" ", "v=false ", "shifty,k=x v=true ");
    assertThat(h.metadata()).containsEntry("influx.api", "1").containsKey("influx.version");
    assertThat(h.verifications()).containsKeys("awk/autogen/cpu", "awk/autogen/mixed/2020-09-13");
    assertThat(h.verifications().get("awk/autogen/cpu").count()).isEqualTo(4);

    RestoreResult r = h.restore(InfluxRestorer.v1(influx.url()).rename("awk", "awk_copy").batchSize(3).build());

    assertThat(r.results()).allSatisfy(v -> assertThat(v.status()).as(v.item() + " " + v.message())
        .isEqualTo(VerificationResult.Status.OK));
    assertThat(r.results()).extracting(VerificationResult::item)
        .contains("awk/autogen/cpu", "awk/hourly/shifty", "awk/decade/recent", "awk/autogen/weird name,with=eq\"q");
    assertThat(r.verified()).isTrue();
    for (String rp : List.of("autogen", "hourly", "decade")) {
      for (String q : List.of("SELECT * FROM \"" + rp + "\"./.*/ GROUP BY *", "SHOW FIELD KEYS FROM \"" + rp + "\"./.*/",
          "SHOW TAG KEYS FROM \"" + rp + "\"./.*/", "SHOW SERIES")) {
        String original = influx.query("awk", q);
        assertThat(original).contains("\"series\"");
        assertThat(influx.query("awk_copy", q)).as(q).isEqualTo(original);
      }
    }
    // every value of the field that changes type from shard to shard, queried shard by shard
    for (long t : new long[] {1600000000000000000L, 1610000000000000000L, 1620000000000000000L, 1630000000000000000L}) {
      String q = "SELECT f FROM autogen.mixed WHERE time >= " + t + " AND time <= " + t;
      assertThat(influx.query("awk_copy", q)).isEqualTo(influx.query("awk", q)).contains("" + t);
    }
    assertThat(influx.query("awk_copy", "SHOW RETENTION POLICIES")).isEqualTo(influx.query("awk", "SHOW RETENTION POLICIES"));
    assertThat(influx.query("awk_copy", "SHOW CONTINUOUS QUERIES"))
        .contains("CREATE CONTINUOUS QUERY cq_mean ON awk_copy BEGIN SELECT mean(value) INTO awk_copy.autogen.cpu_1h "
            + "FROM awk_copy.autogen.cpu");
  }

  @Test
  void exportsOnlyTheSelectedMeasurementsAndTimeRangeInHourWindows(@TempDir Path dir) throws Exception {
    long h = 3_600_000_000_000L;
    long base = NOW_DAY - 3 * 24 * h;
    InfluxSource source = InfluxSource.v1(influx.url()).database("awk").measurement("shifty")
        .timeRange(Instant.ofEpochSecond(0, base + h), Instant.ofEpochSecond(0, base + 3 * h + 2))
        .windowSize(Duration.ofHours(1)).build();
    source.check();

    SourceHarness s = SourceHarness.run(source, dir);

    String hour1 = "awk/hourly/shifty/" + Windows.name(base + h, h) + ".lp";
    String hour3 = "awk/hourly/shifty/" + Windows.name(base + 3 * h, h) + ".lp";
    assertThat(s.entries().keySet().stream().filter(p -> p.endsWith(".lp")))
        .containsExactlyInAnyOrder(hour1, "awk/hourly/shifty/" + Windows.name(base + 2 * h, h) + ".lp", hour3);
    assertThat(hour1).matches(".*T\\d\\d-00-00Z\\.lp");
    assertThat(Files.readString(s.file(hour1))).isEqualTo("shifty v=7i " + (base + h) + "\n");
    assertThat(Files.readString(s.file(hour3))).isEqualTo("shifty v=false " + (base + 3 * h + 1) + "\n");
    assertThat(s.verifications().get("awk/hourly/shifty").count()).isEqualTo(3);
  }

  @Test
  void refusesATargetThatHoldsDataUnlessAllowed(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE busy");
    influx.write("busy", null, "other v=1 1");
    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).database("awk").measurement("cpu").build(), dir);

    assertThatThrownBy(() -> h.restore(InfluxRestorer.v1(influx.url()).target("busy").build()))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("'busy'").hasMessageContaining("allowNonEmpty");
    assertThat(influx.query("busy", "SHOW MEASUREMENTS")).doesNotContain("cpu");

    influx.execute("CREATE DATABASE empty_one");
    RestoreResult empty = h.restore(InfluxRestorer.v1(influx.url()).target("empty_one").build());
    assertThat(empty.verified()).isTrue();

    RestoreResult merged = h.restore(InfluxRestorer.v1(influx.url()).target("busy").allowNonEmpty(true).build());
    assertThat(merged.verified()).isTrue();
    assertThat(influx.query("busy", "SHOW MEASUREMENTS")).contains("cpu", "other");

    influx.execute("CREATE DATABASE conflicting");
    influx.write("conflicting", null, "cpu value=\"text\" 946684800000000000");
    assertThatThrownBy(() -> h.restore(InfluxRestorer.v1(influx.url()).target("conflicting").allowNonEmpty(true).build()))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("conflicting/autogen").hasMessageContaining("field type conflict");
  }

  @Test
  void reusesClosedWindowsOfTheParentInIncrementalMode(@TempDir Path dir) throws Exception {
    long day = Windows.DAY_NS;
    long d0 = 1_800_000_000_000_000_000L / day * day; // 2027-01-15
    influx.execute("CREATE DATABASE inc");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append("m,host=h v=").append(i).append("i ").append(d0 + i * day + 1000).append('\n');
    }
    influx.write("inc", null, sb.toString());
    Clock clock = Clock.fixed(Instant.ofEpochSecond((d0 + 4 * day + day / 2) / 1_000_000_000L), ZoneOffset.UTC);
    InfluxSource source = InfluxSource.v1(influx.url()).database("inc").incrementalHorizon(Duration.ofDays(1))
        .clock(clock).build();
    SourceHarness first = SourceHarness.run(source, dir.resolve("1"));

    // a late point in an old window (beyond the horizon) and one in the open window
    influx.write("inc", null, "m,host=late v=99i " + (d0 + day + 5) + "\nm,host=new v=100i " + (d0 + 4 * day + 7));
    SourceHarness second = SourceHarness.run(source, dir.resolve("2"), first);

    String old = "inc/autogen/m/" + Windows.name(d0 + day, day) + ".lp";
    String open = "inc/autogen/m/" + Windows.name(d0 + 4 * day, day) + ".lp";
    assertThat(Files.readString(second.file(old))).isEqualTo(Files.readString(first.file(old))).doesNotContain("late");
    assertThat(Files.readString(second.file(open))).contains("host=new");
    assertThat(second.verifications().get("inc/autogen/m").count()).isEqualTo(6);
    assertThat(second.entries().keySet().stream().filter(p -> p.startsWith("inc/autogen/m/"))).hasSize(5);

    // without incremental mode the late point is picked up
    SourceHarness full = SourceHarness.run(InfluxSource.v1(influx.url()).database("inc").build(), dir.resolve("3"));
    assertThat(Files.readString(full.file(old))).contains("host=late");
    assertThat(new String(Files.readAllBytes(full.file(open)), StandardCharsets.UTF_8)).contains("host=new");
  }
}
