package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MySqlScratchRestorerTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T04:05:06Z"), ZoneOffset.UTC);

  @Test
  void scratchNamesAreDatedAndFitMySqlsIdentifierLimit() throws Exception {
    try (MySqlScratchRestorer r = MySqlScratchRestorer.on("jdbc:mysql://127.0.0.1:3306/", "backup", null, clock)) {
      assertThat(r.scratchName("app")).isEqualTo("app_cairn_drill_20261128040506");
      String longName = "d".repeat(64);
      assertThat(r.scratchName(longName)).hasSize(64).endsWith("_cairn_drill_20261128040506");
      assertThat(r.databases()).as("nothing restored, nothing to drop").isEmpty();
      // two long names that share their first 60 characters get different scratch databases
      String a = "x".repeat(60) + "_one";
      String b = "x".repeat(60) + "_two";
      assertThat(r.scratchName(a)).hasSize(64).isNotEqualTo(r.scratchName(b)).isEqualTo(r.scratchName(a));
    }
  }

  @Test
  void destinationNeverShowsThePassword() throws Exception {
    try (MySqlScratchRestorer r = MySqlScratchRestorer.on("jdbc:mysql://backup:hunter2@127.0.0.1:3306/", null, null,
        clock)) {
      assertThat(r.destination()).contains("127.0.0.1:3306").contains("_cairn_drill_").doesNotContain("hunter2");
    }
  }
}
