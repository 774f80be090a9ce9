package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live progress line on a terminal and the JSON status messages. */
class ProgressDisplayTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Output output(boolean json, boolean quiet) {
    return new Output(new PrintWriter(out, true), new PrintWriter(err, true), json, quiet, false);
  }

  @Test
  void terminalLineShowsFilesBytesRateAndEtaAndIsClearedAtTheEnd() {
    try (ProgressDisplay p = ProgressDisplay.start(output(false, false), true, "backup")) {
      p.update(12, 512L << 20, 100, 1L << 30, "data/big.bin");
      p.render();
    }
    String line = err.toString();
    assertThat(line).startsWith("\r[").contains("12 / 100 files", "512.000 MiB / 1.000 GiB", "/s", "ETA ", "data/big.bin");
    assertThat(line).endsWith("\r").doesNotContain("\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void firstBackupGetsTotalsAndAnEtaFromAScanOfThePaths(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("a"), new byte[1000]);
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/b"), new byte[3000]);
    try (ProgressDisplay p = ProgressDisplay.start(output(false, false), true, "backup")) {
      p.update(1, 1000, -1, -1, "a");
      p.estimateTotals(List.of(dir));
      for (int i = 0; i < 500 && !p.estimated(); i++) {
        Thread.sleep(10);
      }
      assertThat(p.estimated()).isTrue();
      p.render();
    }
    assertThat(err.toString()).contains("1 / 2 files", "1000 B / 3.906 KiB", "ETA ");
  }

  @Test
  void nothingOnStderrWhenItIsNotATerminalOrQuiet() {
    try (ProgressDisplay p = ProgressDisplay.start(output(false, false), false, "backup")) {
      p.update(1, 1, -1, -1, "a");
    }
    try (ProgressDisplay p = ProgressDisplay.start(output(false, true), true, "backup")) {
      p.update(1, 1, -1, -1, "a");
    }
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void jsonStatusIsOneDocumentPerLine() throws Exception {
    try (ProgressDisplay p = ProgressDisplay.start(output(true, false), true, "restore")) {
      p.update(3, 300, 6, 600, "x");
      p.render();
    }
    assertThat(err.toString()).isEmpty();
    JsonNode status = new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
    assertThat(status.get("message_type").asText()).isEqualTo("status");
    assertThat(status.get("action").asText()).isEqualTo("restore");
    assertThat(status.get("files_done").asLong()).isEqualTo(3);
    assertThat(status.get("total_bytes").asLong()).isEqualTo(600);
    assertThat(status.get("percent_done").asDouble()).isEqualTo(0.5);
  }

  @Test
  void sizesAndDurationsReadWell() {
    assertThat(Format.bytes(100)).isEqualTo("100 B");
    assertThat(Format.bytes(1536)).isEqualTo("1.500 KiB");
    assertThat(Format.duration(java.time.Duration.ofSeconds(3723))).isEqualTo("1:02:03");
    assertThat(Format.duration(java.time.Duration.ofSeconds(67))).isEqualTo("1:07");
  }
}
