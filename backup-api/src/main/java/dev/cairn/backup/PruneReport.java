package dev.cairn.backup;

import java.time.Duration;
import java.util.Locale;

/**
 * What {@code prune} did, or with {@code dryRun} would do. Byte counts are stored sizes (compressed,
 * encrypted). Immutable.
 *
 * @param dryRun whether nothing was changed
 * @param snapshots snapshots whose data was kept
 * @param packsBefore packs in the repository before
 * @param bytesBefore their total size
 * @param usedBytes bytes of blobs the snapshots need
 * @param unusedBytes bytes of blobs nothing needs (including duplicate copies)
 * @param packsRepacked packs whose used blobs were copied into new packs, then deleted
 * @param bytesRepacked their total size
 * @param bytesCopied bytes copied out of them
 * @param packsDeleted packs deleted outright (nothing in them was used)
 * @param bytesDeleted their total size
 * @param packsTooNew packs left alone because they are within the safety window
 * @param bytesFreed bytes freed: deleted plus repacked, less copied
 * @param unusedAfter unused bytes left in partly used packs
 * @param duration how long prune took
 */
public record PruneReport(
    boolean dryRun,
    int snapshots,
    int packsBefore,
    long bytesBefore,
    long usedBytes,
    long unusedBytes,
    int packsRepacked,
    long bytesRepacked,
    long bytesCopied,
    int packsDeleted,
    long bytesDeleted,
    int packsTooNew,
    long bytesFreed,
    long unusedAfter,
    Duration duration) {

  /** The report as text, e.g. for {@code cairn prune --dry-run}. */
  public String render() {
    String verb = dryRun ? "would " : "";
    StringBuilder b = new StringBuilder();
    line(b, "snapshots kept:", Integer.toString(snapshots));
    line(b, "packs:", packsBefore + " (" + bytes(bytesBefore) + ")");
    line(b, "used:", bytes(usedBytes));
    line(b, "unused:", bytes(unusedBytes));
    line(b, verb + "repack:", packsRepacked + " packs (" + bytes(bytesRepacked) + "), copying " + bytes(bytesCopied));
    line(b, verb + "delete:", packsDeleted + " packs (" + bytes(bytesDeleted) + ")");
    line(b, "too new to touch:", packsTooNew + " packs");
    line(b, verb + "free:", bytes(bytesFreed));
    line(b, "unused after:", bytes(unusedAfter));
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "%-18s%s%n", label, value));
  }

  /** Formats a byte count for reports: {@code 512 B}, {@code 1.50 KiB}, {@code 3.21 GiB}. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
  }
}
