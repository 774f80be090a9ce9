package dev.cairn.backup.internal.tree;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
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
    // Streamed rather than read into a JsonNode tree: a parent snapshot's trees are decoded before a
    // backup can compare a single file, so this is on the critical path of every incremental backup.
    try (JsonParser p = JSON.createParser(bytes)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
      int version = -1;
      List<Node> nodes = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("version")) {
          version = p.getValueAsInt(-1); // -1 for an object or array
          checkVersion(version, what); // before the nodes, which a newer format may shape differently
        } else if (field.equals("nodes") && value == JsonToken.START_ARRAY) {
          nodes = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Node n = decodeNode(p);
            // names are unique and sorted (encode writes them so): a second node of a name would hide the
            // first one's place while its subtree is still walked
            expect(nodes.isEmpty() || nodes.get(nodes.size() - 1).name().compareTo(n.name()) < 0,
                "node names are not unique and sorted at '" + n.name() + "'");
            nodes.add(n);
          }
          expect(p.currentToken() == JsonToken.END_ARRAY, "a node is not a JSON object");
        }
        p.skipChildren(); // a value of an unknown field or of an unexpected shape
      }
      checkVersion(version, what);
      return nodes;
    } catch (IOException | IllegalArgumentException | DateTimeException e) {
      throw new IntegrityException(what + " is not a valid tree: " + e.getMessage(), e);
    }
  }

  private static Node decodeNode(JsonParser p) throws IOException {
    String name = "";
    EntryType type = null;
    long size = 0;
    Instant mtime = null;
    int mode = -1;
    long inode = 0;
    Map<String, String> attrs = Map.of();
    String target = null;
    List<ObjectId> content = List.of();
    ObjectId subtree = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "name" -> name = p.getValueAsString("");
        case "type" -> type = EntryType.valueOf(p.getValueAsString("").toUpperCase(Locale.ROOT));
        case "size" -> size = p.getValueAsLong(0);
        case "mtime" -> mtime = parseInstant(p.getValueAsString(""));
        case "mode" -> mode = p.getValueAsInt(-1);
        case "inode" -> inode = p.getValueAsLong(0);
        case "target" -> target = p.getValueAsString("");
        case "subtree" -> subtree = ObjectId.parse(p.getValueAsString(""));
        case "attributes" -> {
          if (value == JsonToken.START_OBJECT) {
            attrs = new TreeMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              p.nextToken();
              attrs.put(key, p.getValueAsString(""));
              p.skipChildren();
            }
          }
        }
        case "content" -> {
          if (value == JsonToken.START_ARRAY) {
            content = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              content.add(ObjectId.parse(p.getValueAsString("")));
            }
          }
        }
        default -> { }
      }
      p.skipChildren(); // a value of an unknown field or of an unexpected shape
    }
    expect(type != null, "a node has no type");
    // a name is one path segment: a '/', '.' or '..' would let a restore write through a restored
    // symlink or outside its destination
    expect(name.indexOf('/') < 0 && name.indexOf('\0') < 0 && !name.equals(".") && !name.equals(".."),
        "a node's name '" + name + "' is not a single path segment");
    return new Node(name, type, size, mtime, mode, inode, attrs, target, content, subtree);
  }

  /**
   * Parses an {@link Instant#toString()} timestamp ({@code 2026-11-28T06:31:02.123456789Z}) without
   * the general {@link java.time.format.DateTimeFormatter} machinery, which costs more than the rest
   * of a node; anything else (years past 9999, malformed text) goes to {@link Instant#parse}.
   */
  static Instant parseInstant(String s) {
    int n = s.length();
    if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
        && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z' && (n == 20 || s.charAt(19) == '.')) {
      int year = digits(s, 0, 4);
      int month = digits(s, 5, 2);
      int day = digits(s, 8, 2);
      int hour = digits(s, 11, 2);
      int minute = digits(s, 14, 2);
      int second = digits(s, 17, 2);
      int fraction = n > 21 ? digits(s, 20, n - 21) : n == 20 ? 0 : -1;
      if ((year | month | day | hour | minute | second | fraction) >= 0 && hour < 24 && minute < 60 && second < 60) {
        int nanos = fraction;
        for (int places = n - 21; places < 9; places++) { // n == 20: no fraction, nanos stays 0
          nanos *= 10;
        }
        // LocalDate.of rejects a month or day that does not exist, as Instant.parse would
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
      }
    }
    return Instant.parse(s);
  }

  /** The decimal value of {@code count} digits at {@code from}, or -1 if one is not an ASCII digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static void checkVersion(int version, String what) {
    if (version != VERSION) {
      throw new IntegrityException(what + " has tree format version " + version + ", this Cairn reads " + VERSION
          + "; use a newer Cairn");
    }
  }

  private static void expect(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }
}
