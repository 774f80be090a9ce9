package dev.cairn.backup.internal.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.Check;
import dev.cairn.backup.CheckOutcome;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.Verification;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link Snapshot} (format version 1, see docs/format.md "Snapshots"). The id is
 * not part of the JSON: it is the id of the stored object.
 */
public final class SnapshotCodec {
  /** The snapshot format version written and understood. */
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private SnapshotCodec() {}

  /** Serializes everything of {@code s} except its id. */
  public static byte[] encode(Snapshot s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION);
    root.put("time", s.time().toString());
    root.put("host", s.host());
    root.put("plan", s.plan());
    ArrayNode tags = root.putArray("tags");
    s.tags().forEach(tags::add);
    if (s.parent() != null) {
      root.put("parent", s.parent().hex());
    }
    ArrayNode sources = root.putArray("sources");
    for (SnapshotSource src : s.sources()) {
      ObjectNode o = sources.addObject();
      o.put("name", src.name());
      o.put("type", src.type());
      o.put("tree", src.tree().hex());
      putMap(o.putObject("metadata"), src.metadata());
      ArrayNode vs = o.putArray("verifications");
      for (Verification v : src.verifications()) {
        ObjectNode vo = vs.addObject();
        vo.put("item", v.item());
        vo.put("count", v.count());
        vo.put("checksum", v.checksum());
        putMap(vo.putObject("attributes"), v.attributes());
      }
      o.put("entries", src.entries());
      o.put("bytes", src.bytes());
    }
    ArrayNode checks = root.putArray("checks");
    for (CheckOutcome c : s.checks()) {
      ObjectNode co = checks.addObject();
      co.put("name", c.name());
      co.put("passed", c.passed());
      co.put("message", c.message());
      co.put("onFailure", c.onFailure().name());
      co.put("duration", c.duration().toString());
    }
    root.put("complete", s.complete());
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putMap(ObjectNode o, Map<String, String> map) {
    new TreeMap<>(map).forEach(o::put);
  }

  private static Map<String, String> map(JsonNode o) {
    Map<String, String> m = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  /**
   * Parses the snapshot stored under {@code id}.
   *
   * @throws IntegrityException if the bytes are not a snapshot of a known version
   */
  public static Snapshot decode(ObjectId id, byte[] bytes) {
    try {
      JsonNode root = MAPPER.readTree(bytes);
      int version = root.path("version").asInt(-1);
      if (version != VERSION) {
        // not damage: a newer Cairn wrote it, so it is never skipped as damaged nor advised to be forgotten
        throw new NewerFormatException("snapshot " + id.shortHex() + " has format version " + version
            + ", this Cairn reads " + VERSION + "; upgrade Cairn");
      }
      List<String> tags = new ArrayList<>();
      root.path("tags").forEach(t -> tags.add(t.asText()));
      List<SnapshotSource> sources = new ArrayList<>();
      for (JsonNode o : root.path("sources")) {
        List<Verification> vs = new ArrayList<>();
        for (JsonNode v : o.path("verifications")) {
          vs.add(new Verification(v.path("item").asText(), v.path("count").asLong(),
              v.path("checksum").asText(), map(v.path("attributes"))));
        }
        sources.add(new SnapshotSource(o.path("name").asText(), o.path("type").asText(),
            ObjectId.parse(o.path("tree").asText()), map(o.path("metadata")), vs,
            o.path("entries").asLong(), o.path("bytes").asLong()));
      }
      List<CheckOutcome> checks = new ArrayList<>();
      for (JsonNode c : root.path("checks")) {
        checks.add(new CheckOutcome(c.path("name").asText(), c.path("passed").asBoolean(),
            c.path("message").asText(), Check.OnFailure.valueOf(c.path("onFailure").asText()),
            Duration.parse(c.path("duration").asText())));
      }
      return new Snapshot(id, Instant.parse(root.path("time").asText()), root.path("host").asText(),
          root.path("plan").asText(), tags,
          root.hasNonNull("parent") ? ObjectId.parse(root.get("parent").asText()) : null,
          sources, checks, root.path("complete").asBoolean(true));
    } catch (IOException | RuntimeException e) {
      if (e instanceof IntegrityException | e instanceof ConfigurationException) {
        throw (RuntimeException) e;
      }
      throw new IntegrityException("snapshot " + id.shortHex() + " is not a valid snapshot: " + e.getMessage(), e);
    }
  }

  /**
   * A snapshot file of a format this Cairn does not read: a newer Cairn wrote it. Not damage: it is
   * never skipped as damaged nor advised to be forgotten.
   */
  public static final class NewerFormatException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    NewerFormatException(String message) {
      super(message);
    }
  }
}
