package dev.cairn.backup.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.DrillReport;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import dev.cairn.backup.spi.SourceFactory.ScratchRestorer;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillRunnerTest {
  @TempDir Path base;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T03:00:00Z"), ZoneOffset.UTC);

  private static Snapshot snapshot(SnapshotSource... sources) {
    byte[] id = new byte[ObjectId.LENGTH];
    Arrays.fill(id, (byte) 7);
    return new Snapshot(ObjectId.of(id), Instant.parse("2026-11-28T02:00:00Z"), "db1", "infra", List.of(), null,
        List.of(sources), List.of(), true);
  }

  private static SnapshotSource source(String name, String type) {
    byte[] id = new byte[ObjectId.LENGTH];
    return new SnapshotSource(name, type, ObjectId.of(id), Map.of(), List.of(), 1, 10);
  }

  @Test
  void restoresEverySourceIntoScratchAndCleansUp() throws Exception {
    List<String> closed = new ArrayList<>();
    List<Path> dirsSeen = new ArrayList<>();
    Restorer dbRestorer = new Restorer() {
      @Override public String type() { return "mysql"; }
      @Override public RestoreResult restore(dev.cairn.backup.spi.RestoreInput input) { return null; }
    };
    Function<Path, ScratchRestorer> scratchDb = dir -> new ScratchRestorer() {
      @Override public Restorer restorer() { return dbRestorer; }
      @Override public String destination() { return "scratch database cairn_drill_app"; }
      @Override public void close() { closed.add("db"); }
    };
    Verification v = Verification.of("app.users", 3, "abc");
    DrillRunner.SourceRestore restore = (name, dir, restorer) -> {
      dirsSeen.add(dir);
      if (name.equals("db")) {
        assertThat(restorer).isSameAs(dbRestorer);
        return new RestoreResult(name, "db", 1, 100, List.of(VerificationResult.compare(v, 3, "abc")));
      }
      assertThat(restorer).isNull();
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("all.yaml"), "a: 1\n");
      return new RestoreResult(name, dir.toString(), 1, 5, List.of());
    };
    DrillReport r = DrillRunner.run("infra", "local", snapshot(source("ansible", "files"), source("db", "mysql")),
        Duration.ofHours(12), base, Map.of("db", scratchDb), restore, CLOCK);
    assertThat(r.passed()).isTrue();
    assertThat(r.started()).isEqualTo("2026-11-28T03:00:00Z");
    assertThat(r.snapshot()).isEqualTo("07".repeat(32));
    assertThat(r.sources()).extracting(DrillReport.SourceResult::destination)
        .containsExactly(dirsSeen.get(0).toString(), "scratch database cairn_drill_app");
    assertThat(r.sources().get(1).results()).singleElement().matches(VerificationResult::ok);
    assertThat(closed).containsExactly("db");
    // the scratch directory is gone after the drill
    assertThat(dirsSeen.get(0)).doesNotExist();
    try (var left = Files.list(base)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aSourceWithoutScratchDestinationOrAFailingRestoreFailsTheDrill() throws Exception {
    DrillRunner.SourceRestore restore = (name, dir, restorer) -> {
      throw new IllegalStateException("chunk 1a2b… in pack 9f… is damaged");
    };
    DrillReport r = DrillRunner.run("infra", "local", snapshot(source("ansible", "files"), source("metrics", "influx")),
        Duration.ofHours(12), base, Map.of(), restore, CLOCK);
    assertThat(r.passed()).isFalse();
    assertThat(r.sources().get(0).error()).contains("is damaged");
    assertThat(r.sources().get(1).error()).contains("no scratch destination for source type 'influx'");
  }

  @Test
  void noSnapshotGivesAFailedReport() throws Exception {
    DrillReport r = DrillRunner.run("infra", "local", null, null, base, Map.of(), (n, d, x) -> null, CLOCK);
    assertThat(r.passed()).isFalse();
    assertThat(r.snapshot()).isEmpty();
  }
}
