package dev.cairn.backup;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds snapshot tables for retention tests. */
final class TestSnapshots {
  private static final AtomicLong SEQ = new AtomicLong();

  private TestSnapshots() {}

  /** An id whose first 4 bytes are {@code n}, so short ids are readable in failures. */
  static ObjectId id(long n) {
    byte[] b = new byte[ObjectId.LENGTH];
    ByteBuffer.wrap(b).putInt((int) n);
    return ObjectId.of(b);
  }

  static Snapshot snapshot(Instant time, String host, String plan, List<String> sources, String... tags) {
    List<SnapshotSource> src = sources.stream()
        .map(name -> new SnapshotSource(name, "files", id(0), java.util.Map.of(), List.of(), 1, 1))
        .toList();
    return new Snapshot(id(SEQ.incrementAndGet()), time, host, plan, Arrays.asList(tags), null, src, List.of(), true);
  }

  static Snapshot snapshot(Instant time, String... tags) {
    return snapshot(time, "db1", "infra", List.of("files"), tags);
  }

  /** A snapshot at local time {@code local} (ISO, e.g. {@code 2026-03-29T01:59}) in {@code zone}. */
  static Snapshot at(String local, ZoneId zone, String... tags) {
    return snapshot(LocalDateTime.parse(local).atZone(zone).toInstant(), tags);
  }

  /** A snapshot at an exact instant ({@code 2026-10-25T00:30:00Z}). */
  static Snapshot atInstant(String instant, String... tags) {
    return snapshot(Instant.parse(instant), tags);
  }
}
