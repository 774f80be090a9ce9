package dev.cairn.backup.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Check;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
  @Test
  void roundTripsEveryField() {
    ObjectId id = ObjectId.parse("ab".repeat(32));
    ObjectId tree = ObjectId.parse("cd".repeat(32));
    Snapshot s = new Snapshot(id, Instant.parse("2026-11-28T03:00:00.5Z"), "host1", "infra", List.of("daily", "x"),
        ObjectId.parse("ef".repeat(32)),
        List.of(new SnapshotSource("mysql", "mysql", tree, Map.of("binlog", "mysql-bin.000003:154"),
            List.of(new Verification("app.users", 42, "crc:1", Map.of("algorithm", "crc"))), 10, 12345)),
        List.of(new CheckOutcome("yaml", false, "bad indent", Check.OnFailure.MARK, Duration.ofMillis(12))), false);
    Snapshot back = SnapshotCodec.decode(id, SnapshotCodec.encode(s));
    assertThat(back).isEqualTo(s);
    assertThat(SnapshotCodec.encode(back)).isEqualTo(SnapshotCodec.encode(s));
  }

  @Test
  void refusesUnknownVersionNamingTheSnapshot() {
    ObjectId id = ObjectId.parse("ab".repeat(32));
    assertThatThrownBy(() -> SnapshotCodec.decode(id, "{\"version\":99}".getBytes(StandardCharsets.UTF_8)))
        // not damage (which would be skipped, and could be forgotten): a newer Cairn wrote it
        .isInstanceOf(dev.cairn.backup.ConfigurationException.class).hasMessageContaining("abababab")
        .hasMessageContaining("version 99").hasMessageContaining("upgrade Cairn");
  }
}
