package dev.cairn.backup.internal.tree;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deterministic JSON form of a tree (format version 1, see docs/format.md "Trees"): equal trees
 * always serialize to equal bytes, so an unchanged directory is stored once.
 */
public final class TreeCodec {
  /** The tree format version written and understood. */
  public static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TreeCodec() {}

  /** Serializes {@code nodes} (sorted by name here, names must be unique). */
  public static byte[] encode(List<Node> nodes) {
    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(Node::name));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 128 * sorted.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("version", VERSION);
      g.writeArrayFieldStart("nodes");
      String previous = null;
      for (Node n : sorted) {
        if (n.name().equals(previous)) {
          throw new IllegalArgumentException("duplicate name in tree: '" + n.name() + "'");
        }
        previous = n.name();
        writeNode(g, n);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeNode(JsonGenerator g, Node n) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", n.name());
    g.writeStringField("type", n.type().name().toLowerCase(Locale.ROOT));
    if (n.type() == EntryType.FILE) {
      g.writeNumberField("size", n.size());
    }
    if (n.modifiedTime() != null) {
      g.writeStringField("mtime", n.modifiedTime().toString());
    }
    if (n.mode() >= 0) {
      g.writeNumberField("mode", n.mode());
    }
    if (n.inode() != 0) {
      g.writeNumberField("inode", n.inode());
    }
    if (!n.attributes().isEmpty()) {
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> a : new TreeMap<>(n.attributes()).entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
    }
    if (n.linkTarget() != null) {
      g.writeStringField("target", n.linkTarget());
    }
    if (n.type() == EntryType.FILE) {
      g.writeArrayFieldStart("content");
      for (ObjectId id : n.content()) {
        g.writeString(id.hex());
      }
      g.writeEndArray();
    }
    if (n.subtree() != null) {
      g.writeStringField("subtree", n.subtree().hex());
    }
    g.writeEndObject();
  }

  /**
   * Parses a tree.
   *
   * @throws IntegrityException if the bytes are not a tree of a known version ({@code what} names it)
   */
  public static List<Node> decode(byte[] bytes, String what) {
    try {
      JsonNode root = MAPPER.readTree(bytes);
      int version = root.path("version").asInt(-1);
      if (version != VERSION) {
        throw new IntegrityException(what + " has tree format version " + version + ", this Cairn reads "
            + VERSION + "; use a newer Cairn");
      }
      List<Node> nodes = new ArrayList<>();
      for (JsonNode n : root.path("nodes")) {
        EntryType type = EntryType.valueOf(n.path("type").asText().toUpperCase(Locale.ROOT));
        Map<String, String> attrs = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("attributes").fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> a = it.next();
          attrs.put(a.getKey(), a.getValue().asText());
        }
        List<ObjectId> content = new ArrayList<>();
        for (JsonNode c : n.path("content")) {
          content.add(ObjectId.parse(c.asText()));
        }
        nodes.add(new Node(n.path("name").asText(), type, n.path("size").asLong(0),
            n.hasNonNull("mtime") ? Instant.parse(n.get("mtime").asText()) : null,
            n.path("mode").asInt(-1), n.path("inode").asLong(0), attrs,
            n.hasNonNull("target") ? n.get("target").asText() : null, content,
            n.hasNonNull("subtree") ? ObjectId.parse(n.get("subtree").asText()) : null));
      }
      return nodes;
    } catch (IOException | IllegalArgumentException e) {
      throw new IntegrityException(what + " is not a valid tree: " + e.getMessage(), e);
    }
  }
}
