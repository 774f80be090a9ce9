package dev.cairn.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@link DrillReport}s as text (for people) and JSON (for tools and for {@code plan status}),
 * and reads the JSON back. The JSON format is versioned: {@code {"format": "cairn-drill-report",
 * "version": 1, …}}; a reader refuses versions it does not know. Stateless and thread-safe.
 */
public final class DrillReports {
  static final String FORMAT = "cairn-drill-report";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private DrillReports() {}

  /**
   * Writes {@code report} into {@code directory} (created if needed) as
   * {@code drill-<time>-<target>.json} and {@code .txt}, each atomically (temporary file, then rename);
   * a second report of the same target in the same second is {@code drill-<time>-<target>-2.json}.
   *
   * @return the JSON file
   */
  public static Path write(Path directory, DrillReport report) throws IOException {
    Files.createDirectories(directory);
    String base = "drill-" + FILE_TIME.format(report.started()) + "-" + report.target().replaceAll("[^A-Za-z0-9._-]", "_");
    // two drills of one target in the same second keep both reports: the second is <base>-2, and so on;
    // the name is taken by creating the .txt (atomic, fails if it exists), which no reader parses
    for (int n = 1; ; n++) {
      String name = n == 1 ? base : base + "-" + n;
      Path json = directory.resolve(name + ".json");
      Path txt = directory.resolve(name + ".txt");
      if (Files.exists(json)) {
        continue;
      }
      try {
        Files.createFile(txt);
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      atomicWrite(json, JSON.writeValueAsString(toJson(report)) + "\n");
      atomicWrite(txt, toText(report));
      return json;
    }
  }

  /**
   * Reads every drill report ({@code drill-*.json}) in {@code directory}, oldest first; an absent
   * directory has none.
   *
   * @throws ConfigurationException naming a file that is not a drill report this version can read
   */
  public static List<DrillReport> readAll(Path directory) throws IOException {
    List<DrillReport> out = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "drill-*.json")) {
      for (Path f : files) {
        out.add(read(f));
      }
    }
    out.sort(Comparator.comparing(DrillReport::started));
    return out;
  }

  /** Reads one JSON drill report. */
  public static DrillReport read(Path file) throws IOException {
    JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    if (n == null || !FORMAT.equals(n.path("format").asText())) {
      throw new ConfigurationException(file + " is not a Cairn drill report (no \"format\": \"" + FORMAT + "\")");
    }
    if (n.path("version").asInt() != VERSION) {
      throw new ConfigurationException(file + ": drill report version " + n.path("version").asText()
          + " is not supported by this Cairn (reads version " + VERSION + "); upgrade Cairn");
    }
    List<DrillReport.SourceResult> sources = new ArrayList<>();
    for (JsonNode s : n.path("sources")) {
      List<VerificationResult> results = new ArrayList<>();
      for (JsonNode r : s.path("results")) {
        results.add(new VerificationResult(r.path("item").asText(),
            VerificationResult.Status.valueOf(r.path("status").asText()), r.path("expected_count").asLong(-1),
            r.path("actual_count").asLong(-1), r.path("expected_checksum").asText(""),
            r.path("actual_checksum").asText(""), r.path("message").asText("")));
      }
      sources.add(new DrillReport.SourceResult(s.path("source").asText(), s.path("type").asText(),
          s.path("destination").asText(), s.path("entries").asLong(), s.path("bytes").asLong(),
          seconds(s.path("duration_seconds")), results, s.path("error").asText("")));
    }
    return new DrillReport(n.path("plan").asText(), n.path("target").asText(), n.path("snapshot").asText(),
        Instant.parse(n.path("started").asText()), seconds(n.path("duration_seconds")),
        n.hasNonNull("rto_seconds") ? seconds(n.path("rto_seconds")) : null, sources);
  }

  /** The report as JSON. */
  public static ObjectNode toJson(DrillReport r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("version", VERSION);
    n.put("plan", r.plan());
    n.put("target", r.target());
    n.put("snapshot", r.snapshot());
    n.put("started", r.started().toString());
    n.put("duration_seconds", seconds(r.duration()));
    if (r.rto() != null) {
      n.put("rto_seconds", seconds(r.rto()));
    } else {
      n.putNull("rto_seconds");
    }
    n.put("passed", r.passed());
    n.put("within_rto", r.withinRto());
    ArrayNode sources = n.putArray("sources");
    for (DrillReport.SourceResult s : r.sources()) {
      ObjectNode sn = sources.addObject();
      sn.put("source", s.source());
      sn.put("type", s.type());
      sn.put("destination", s.destination());
      sn.put("entries", s.entries());
      sn.put("bytes", s.bytes());
      sn.put("duration_seconds", seconds(s.duration()));
      sn.put("passed", s.passed());
      sn.put("error", s.error());
      ArrayNode results = sn.putArray("results");
      for (VerificationResult v : s.results()) {
        ObjectNode vn = results.addObject();
        vn.put("item", v.item());
        vn.put("status", v.status().name());
        vn.put("expected_count", v.expectedCount());
        vn.put("actual_count", v.actualCount());
        vn.put("expected_checksum", v.expectedChecksum());
        vn.put("actual_checksum", v.actualChecksum());
        vn.put("message", v.message());
      }
    }
    return n;
  }

  /** The report as text: a summary line, one block per source, one line per verification result. */
  public static String toText(DrillReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("restore drill of plan ").append(r.plan()).append(" from target ").append(r.target())
        .append(", snapshot ").append(r.snapshot().isEmpty() ? "(none)" : r.snapshot()).append('\n');
    sb.append("started ").append(r.started()).append(", took ").append(human(r.duration()));
    if (r.rto() != null) {
      sb.append(" (RTO ").append(human(r.rto())).append(r.withinRto() ? ": within" : ": EXCEEDED").append(')');
    }
    sb.append('\n');
    sb.append("result: ").append(r.passed() ? "PASSED" : "FAILED").append('\n');
    for (DrillReport.SourceResult s : r.sources()) {
      sb.append('\n').append("source ").append(s.source()).append(" (").append(s.type()).append(") -> ")
          .append(s.destination()).append(": ").append(s.passed() ? "PASSED" : "FAILED").append(", ")
          .append(s.entries()).append(" entries, ").append(s.bytes()).append(" bytes, ")
          .append(human(s.duration())).append('\n');
      if (!s.error().isEmpty()) {
        sb.append("  error: ").append(s.error()).append('\n');
      }
      for (VerificationResult v : s.results()) {
        sb.append("  ").append(String.format(Locale.ROOT, "%-8s", v.status())).append(' ').append(v.item());
        if (v.expectedCount() >= 0) {
          sb.append("  count ").append(v.expectedCount()).append(" / ").append(v.actualCount());
        }
        if (!v.message().isEmpty()) {
          sb.append("  ").append(v.message());
        }
        sb.append('\n');
      }
      if (s.results().isEmpty() && s.error().isEmpty()) {
        sb.append("  (no verification data recorded for this source)\n");
      }
    }
    return sb.toString();
  }

  private static void atomicWrite(Path target, String text) throws IOException {
    // a name of its own, so that two writers never share a temporary file
    Path tmp = target.resolveSibling(target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  private static BigDecimal seconds(Duration d) {
    return BigDecimal.valueOf(d.toNanos()).movePointLeft(9).stripTrailingZeros();
  }

  private static Duration seconds(JsonNode n) {
    if (!n.isNumber()) {
      throw new UncheckedIOException(new IOException("expected a number of seconds, found " + n));
    }
    return Duration.ofNanos(n.decimalValue().movePointRight(9).longValueExact());
  }

  private static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
  }
}
