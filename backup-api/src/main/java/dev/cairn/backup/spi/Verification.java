package dev.cairn.backup.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Verification data recorded at backup time for one item of a source: a table, a measurement's time
 * window, a file. A restore is checked against it, never against the live source.
 *
 * @param item what was counted, e.g. {@code app.users} or {@code telegraf/autogen/cpu/2026-11-26}
 * @param count rows, points or bytes
 * @param checksum a source-defined, order-independent or ordered checksum (documented by the source)
 * @param attributes further facts (e.g. the checksum algorithm)
 */
public record Verification(String item, long count, String checksum, Map<String, String> attributes) {
  public Verification {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(checksum, "checksum");
    attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
  }

  /** Verification data without attributes. */
  public static Verification of(String item, long count, String checksum) {
    return new Verification(item, count, checksum, Map.of());
  }
}
