package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.spi.EntryMetadata;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void encodesEveryNameAsOneValidPathSegmentAndBack() {
    for (String name : new String[] {"telegraf", "a/b", "..", ".", ".hidden", "100%", "ü ✓,=\"\\", "tab\there", "a..b"}) {
      String seg = Names.segment(name);
      assertThat(seg).doesNotContain("/").doesNotStartWith(".");
      EntryMetadata.stream(seg + "/x.lp"); // a valid entry path
      assertThat(Names.decode(seg)).isEqualTo(name);
    }
    assertThat(Names.segment("telegraf")).isEqualTo("telegraf");
    assertThat(Names.segment("a/b")).isEqualTo("a%2Fb");
  }

  @Test
  void quotesIdentifiersAndFluxStrings() {
    assertThat(Names.ident("we\"ird\\name")).isEqualTo("\"we\\\"ird\\\\name\"");
    assertThat(Names.fluxString("a\"b${c}")).isEqualTo("\"a\\\"b\\${c}\"");
  }

  @Test
  void parsesGoDurationsAndWritesInfluxqlOnes() {
    assertThat(Influx1Export.goDurationNanos("168h0m0s")).isEqualTo(168L * 3_600_000_000_000L);
    assertThat(Influx1Export.goDurationNanos("0s")).isZero();
    assertThat(Influx1Export.goDurationNanos("1h30m0s")).isEqualTo(90L * 60_000_000_000L);
    assertThat(Influx1Restore.durationLiteral("0s")).isEqualTo("INF");
    assertThat(Influx1Restore.durationLiteral("168h0m0s")).isEqualTo("168h");
    assertThat(Influx1Restore.durationLiteral("1h30m0s")).isEqualTo("90m");
  }

  @Test
  void findsShardBoundariesAsInfluxdbTruncatesThem() {
    long week = 168L * 3_600_000_000_000L;
    // influxd 1.6.7 put a point at -5 ns into the shard 1969-12-29T00:00:00Z .. 1970-01-05T00:00:00Z
    assertThat(Influx1Export.nextShardBoundary(-5, week)).isEqualTo(4L * 86_400_000_000_000L);
    assertThat(Influx1Export.nextShardBoundary(4L * 86_400_000_000_000L, week)).isEqualTo(11L * 86_400_000_000_000L);
  }

  @Test
  void pointsContinuousQueriesAtTheRenamedDatabase() {
    String q = "CREATE CONTINUOUS QUERY cq ON telegraf BEGIN SELECT mean(v) INTO telegraf.autogen.x "
        + "FROM telegraf.autogen.cpu, telegraf_old.autogen.y GROUP BY time(1h) END";
    assertThat(Influx1Restore.renameDatabase(q, "telegraf", "t2")).isEqualTo("CREATE CONTINUOUS QUERY cq ON \"t2\" "
        + "BEGIN SELECT mean(v) INTO \"t2\".autogen.x FROM \"t2\".autogen.cpu, telegraf_old.autogen.y GROUP BY time(1h) END");
  }

  @Test
  void namesWindowsByDayOrSecond() {
    assertThat(Windows.name(0, Windows.DAY_NS)).isEqualTo("1970-01-01");
    assertThat(Windows.name(-Windows.DAY_NS, Windows.DAY_NS)).isEqualTo("1969-12-31");
    assertThat(Windows.name(3_600_000_000_000L, 3_600_000_000_000L)).isEqualTo("1970-01-01T01-00-00Z");
    assertThat(Windows.floor(-1, Windows.DAY_NS)).isEqualTo(-Windows.DAY_NS);
  }
}
