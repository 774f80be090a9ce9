package dev.cairn.backup.mysql;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The order-independent checksum of a table's rows: each row's encoded line (exactly the bytes of the
 * data file, newline included) is hashed to 64 bits, CRC-32C in the high and CRC-32 in the low half,
 * and the hashes are added modulo 2^64. Ranges dumped in parallel combine by addition, and the restore
 * recomputes it from the restored table with the same encoder. Not thread-safe.
 */
final class RowChecksum {
  /**
   * Algorithm id recorded with every table's verification data. v2 (2026-11-28) reads FLOAT columns as
   * the DOUBLE they widen to exactly and keeps MySQL 8's {@code DEFAULT_GENERATED} columns (see
   * {@link TableDef#read}); v1 read FLOAT in the server's 6-digit text form and left those columns out.
   */
  static final String ALGORITHM = "cairn-mysql-rowsum-v2";

  /** The algorithm of snapshots taken before 2026-11-28, still verified and restored as they were taken. */
  static final String ALGORITHM_V1 = "cairn-mysql-rowsum-v1";

  private final CRC32C crc32c = new CRC32C();
  private final CRC32 crc32 = new CRC32();
  private long rows;
  private long sum;

  /** Adds one encoded row. */
  void add(byte[] line, int length) {
    crc32c.reset();
    crc32c.update(line, 0, length);
    crc32.reset();
    crc32.update(line, 0, length);
    sum += (crc32c.getValue() << 32) | crc32.getValue();
    rows++;
  }

  /** Adds the rows counted by {@code other}. */
  void add(RowChecksum other) {
    sum += other.sum;
    rows += other.rows;
  }

  long rows() {
    return rows;
  }

  /** The checksum as 16 lower-case hex digits. */
  String value() {
    return String.format("%016x", sum);
  }
}
