package dev.cairn.backup.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plan last saw on each drive of its rotations, kept in a small JSON file
 * ({@code rotation-drives.json}) in the plan's drill-report directory: when the drive was last read
 * (or received a copy) and the time of the newest copy it then held. A rotating drive is unplugged
 * between its turns; with this record, {@code plan status} can still tell that one has missed its
 * turns (left in a drawer for months) instead of showing it as "not judged" for ever.
 *
 * <p>The file is only a hint: a missing or unreadable one means "no record" (with a warning), and it is
 * rewritten whole through a temporary file and a rename, so a crash leaves the old or the new one.
 */
final class DriveRecords {
  static final String FILE = "rotation-drives.json";
  private static final String FORMAT = "cairn-rotation-drives";
  private static final int VERSION = 1;
  private static final Logger LOG = LoggerFactory.getLogger(DriveRecords.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One drive as last seen.
   *
   * @param seen when the plan last read it or copied to it
   * @param newestCopy the time of the newest snapshot it then held
   */
  record Seen(Instant seen, Instant newestCopy) {}

  private DriveRecords() {}

  /** The records in {@code directory} by drive location; empty when there are none or they cannot be read. */
  static Map<String, Seen> read(Path directory) {
    Map<String, Seen> out = new LinkedHashMap<>();
    Path file = directory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (n == null || !FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != VERSION) {
        LOG.warn("{} is not a version {} record of rotating drives; ignored", file, VERSION);
        return out;
      }
      n.path("drives").fields().forEachRemaining(e -> out.put(e.getKey(),
          new Seen(Instant.parse(e.getValue().path("seen").asText()),
              Instant.parse(e.getValue().path("newest_copy").asText()))));
    } catch (IOException | DateTimeParseException e) {
      LOG.warn("cannot read the record of rotating drives {}: {}; their copies are not judged while unplugged",
          file, e.getMessage());
      out.clear();
    }
    return out;
  }

  /**
   * Records that the drive at {@code location} held a copy from {@code newestCopy} at {@code seen}; an
   * older record of it is replaced, a newer one kept. Failing to write is a warning: the record only
   * helps to judge the drive while it is unplugged.
   */
  static synchronized void record(Path directory, Map<String, Seen> seen) {
    if (seen.isEmpty()) {
      return;
    }
    Map<String, Seen> all = read(directory);
    boolean changed = false;
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      Seen old = all.get(e.getKey());
      if (old == null || old.seen().isBefore(e.getValue().seen())) {
        all.put(e.getKey(), e.getValue());
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode drives = root.putObject("drives");
    all.forEach((location, s) -> drives.putObject(location).put("seen", s.seen().toString())
        .put("newest_copy", s.newestCopy().toString()));
    Path file = directory.resolve(FILE);
    Path tmp = directory.resolve(FILE + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(directory);
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("cannot write the record of rotating drives {}: {}", file, e.getMessage());
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the warning above says enough
      }
    }
  }
}
