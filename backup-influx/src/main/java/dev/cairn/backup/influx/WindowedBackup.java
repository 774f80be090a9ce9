package dev.cairn.backup.influx;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Verification;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs one measurement up window by window, for 1.x and 2.x alike: finds the non-empty windows,
 * reuses closed windows of the parent snapshot in incremental mode, exports the others, and records a
 * verification per window plus one per measurement (which also lists the windows, so the next
 * incremental backup knows what the parent holds without asking the server).
 */
final class WindowedBackup {
  private static final Logger LOG = LoggerFactory.getLogger(WindowedBackup.class);

  /** What the server offers for one measurement. */
  interface WindowQuery {
    /** Starts of windows holding points in [from, to). */
    List<Long> nonEmptyWindows(long from, long to, long windowNs) throws IOException;

    /** Exports the points of [start, end) into {@code writer}. */
    void export(long start, long end, WindowWriter writer) throws IOException;
  }

  private final Settings settings;
  private final SourceContext context;

  WindowedBackup(Settings settings, SourceContext context) {
    this.settings = settings;
    this.context = context;
  }

  /**
   * Backs up one measurement. {@code prefix} is the entry directory ({@code db/rp/measurement} or
   * {@code bucket/measurement}), {@code retentionNs} the container's retention (0 = infinite), and
   * {@code names} the real names recorded as attributes.
   */
  void measurement(String prefix, long retentionNs, Map<String, String> names, WindowQuery query) throws IOException {
    long windowNs = settings.windowNs();
    long from = settings.fromNs();
    long to = settings.toNs();
    String range = from + ".." + to + "/" + windowNs;
    long now = Windows.toNanos(settings.clock().instant());
    TreeMap<Long, Verification> reused = new TreeMap<>();
    long queryFrom = from;
    if (settings.horizon() != null) {
      Optional<Verification> parent = context.parentVerification(prefix)
          .filter(v -> range.equals(v.attributes().get("range")));
      if (parent.isPresent()) {
        long cutoff = now - settings.horizon().toNanos();
        long boundary = Math.max(from, Windows.floor(cutoff, windowNs));
        long retentionCut = retentionNs > 0 ? now - retentionNs : Long.MIN_VALUE;
        String listed = parent.get().attributes().getOrDefault("windows", "");
        long firstNotReused = boundary;
        for (String w : listed.isEmpty() ? new String[0] : listed.split(" ")) {
          long start = Long.parseLong(w);
          String path = prefix + "/" + Windows.name(start, windowNs) + ".lp";
          // a window that ends inside the retention period is reused, also one the retention cut goes
          // through: it still holds points the server keeps (its older points, dropped by the server since,
          // are dropped again by a restore, as for any backup older than the retention). Querying it again
          // instead would re-export everything from it on in every incremental backup. A window whose
          // parent entry is missing is queried again
          long end = Windows.end(start, windowNs);
          if (end <= boundary && end > retentionCut) {
            Optional<Verification> pv = context.parentVerification(item(path));
            if (pv.isPresent() && context.parentEntry(path).isPresent()) {
              reused.put(start, pv.get());
            } else {
              firstNotReused = Math.min(firstNotReused, Math.max(from, start));
            }
          }
        }
        queryFrom = firstNotReused;
      }
    }
    TreeMap<Long, Boolean> windows = new TreeMap<>();
    reused.keySet().forEach(w -> windows.put(w, true));
    for (long w : query.nonEmptyWindows(queryFrom, to, windowNs)) {
      windows.putIfAbsent(Windows.floor(w, windowNs), false);
    }
    List<String[]> checksums = new ArrayList<>();
    long total = 0;
    StringBuilder listed = new StringBuilder();
    for (Map.Entry<Long, Boolean> w : windows.entrySet()) {
      long start = w.getKey();
      String name = Windows.name(start, windowNs);
      String path = prefix + "/" + name + ".lp";
      Verification v;
      if (w.getValue()) {
        v = reused.get(start);
        context.reuseParentEntry(context.parentEntry(path).orElseThrow());
        context.addVerification(v);
        LOG.debug("reused {} from the parent snapshot", path);
      } else {
        long qs = Math.max(start, from);
        long qe = Math.min(Windows.end(start, windowNs), to);
        Map<String, String> attrs = new LinkedHashMap<>(names);
        attrs.put("start", Long.toString(qs));
        attrs.put("end", Long.toString(qe));
        WindowWriter writer;
        try (OutputStream out = new BufferedOutputStream(
            context.newFile(EntryMetadata.stream(path).withAttributes(attrs)), 64 * 1024)) {
          writer = new WindowWriter(out);
          query.export(qs, qe, writer);
          writer.finish();
        }
        attrs.put("kind", "window");
        attrs.put("algorithm", WindowWriter.ALGORITHM);
        v = new Verification(item(path), writer.count(), writer.checksum(), attrs);
        context.addVerification(v);
        LOG.debug("exported {}: {} points", path, writer.count());
      }
      total += v.count();
      checksums.add(new String[] {name, v.checksum()});
      listed.append(listed.length() == 0 ? "" : " ").append(start);
    }
    Map<String, String> attrs = new LinkedHashMap<>(names);
    attrs.put("kind", "measurement");
    attrs.put("range", range);
    attrs.put("windows", listed.toString());
    context.addVerification(new Verification(prefix, total, measurementChecksum(checksums), attrs));
  }

  /** The verification item of a window entry: its path without {@code .lp}. */
  static String item(String path) {
    return path.substring(0, path.length() - 3);
  }

  /** Checksum of a measurement from its windows' names and checksums, in window order. */
  static String measurementChecksum(List<String[]> nameAndChecksum) {
    MessageDigest all = sha256();
    for (String[] w : nameAndChecksum) {
      all.update((w[0] + " " + w[1] + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(all.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
