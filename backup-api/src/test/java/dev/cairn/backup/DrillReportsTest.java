package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillReportsTest {
  @TempDir Path dir;

  static DrillReport report(String started, boolean ok) {
    Verification users = Verification.of("app.users", 120431, "9f2c");
    return new DrillReport("infra", "local", "ab".repeat(32), Instant.parse(started), Duration.ofMillis(83_250),
        Duration.ofHours(12), List.of(
            new DrillReport.SourceResult("mysql", "mysql", "scratch database cairn_drill_1", 3, 4096,
                Duration.ofSeconds(80), List.of(ok ? VerificationResult.compare(users, 120431, "9f2c")
                    : VerificationResult.compare(users, 120430, "47e0")), ""),
            new DrillReport.SourceResult("ansible", "files", "/var/tmp/cairn-drill/ansible", 7, 900,
                Duration.ofMillis(3250), List.of(), "")));
  }

  @Test
  void writesTextAndJsonAndReadsTheJsonBack() throws IOException {
    DrillReport r = report("2026-11-28T03:00:00.123Z", true);
    Path json = DrillReports.write(dir, r);
    assertThat(json.getFileName().toString()).isEqualTo("drill-20261128T030000Z-local.json");
    assertThat(DrillReports.read(json)).isEqualTo(r);
    String text = Files.readString(dir.resolve("drill-20261128T030000Z-local.txt"));
    assertThat(text).contains("result: PASSED").contains("took 0h 01m 23s (RTO 12h 00m 00s: within)")
        .contains("source mysql (mysql) -> scratch database cairn_drill_1: PASSED")
        .contains("OK       app.users  count 120431 / 120431");
    String jsonText = Files.readString(json);
    assertThat(jsonText).contains("\"format\" : \"cairn-drill-report\"").contains("\"duration_seconds\" : 83.25")
        .contains("\"within_rto\" : true");
  }

  @Test
  void failedVerificationShowsInTextAndJson() throws IOException {
    DrillReport r = report("2026-11-28T03:00:00Z", false);
    assertThat(r.passed()).isFalse();
    Path json = DrillReports.write(dir, r);
    assertThat(DrillReports.read(json).passed()).isFalse();
    assertThat(DrillReports.toText(r)).contains("result: FAILED").contains("MISMATCH app.users  count 120431 / 120430")
        .contains("expected 120431 / 9f2c, found 120430 / 47e0");
  }

  @Test
  void twoDrillsOfOneTargetInTheSameSecondKeepBothReports() throws IOException {
    Path first = DrillReports.write(dir, report("2026-11-28T03:00:00Z", true));
    Path second = DrillReports.write(dir, report("2026-11-28T03:00:00Z", false));
    assertThat(second.getFileName().toString()).isEqualTo("drill-20261128T030000Z-local-2.json");
    assertThat(DrillReports.read(first).passed()).isTrue();
    assertThat(DrillReports.read(second).passed()).isFalse();
    assertThat(dir.resolve("drill-20261128T030000Z-local-2.txt")).content().contains("result: FAILED");
    assertThat(DrillReports.readAll(dir)).hasSize(2);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void readsAllOldestFirstAndRefusesUnknownVersions() throws IOException {
    DrillReports.write(dir, report("2026-11-28T03:00:00Z", true));
    DrillReports.write(dir, report("2026-10-28T03:00:00Z", false));
    assertThat(DrillReports.readAll(dir)).extracting(DrillReport::started)
        .containsExactly(Instant.parse("2026-10-28T03:00:00Z"), Instant.parse("2026-11-28T03:00:00Z"));
    assertThat(DrillReports.readAll(dir.resolve("absent"))).isEmpty();
    Path future = dir.resolve("drill-future.json");
    Files.writeString(future, "{\"format\": \"cairn-drill-report\", \"version\": 2}");
    assertThatThrownBy(() -> DrillReports.read(future)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("version 2 is not supported");
  }
}
