package dev.cairn.backup.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.backup.ConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML value that remembers where it came from (file, line, column, key path), so every error in a
 * plan file can name the line and the key at fault. Parsed with Jackson's streaming YAML parser, whose
 * {@link JsonLocation}s give the positions. Immutable.
 */
final class YamlNode {
  enum Kind { MAP, LIST, SCALAR, NULL }

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private final String file;
  private final String path;
  private final int line;
  private final int column;
  private final Kind kind;
  private final Map<String, YamlNode> map;
  private final List<YamlNode> list;
  private final String scalar;

  private YamlNode(String file, String path, JsonLocation loc, Kind kind, Map<String, YamlNode> map,
      List<YamlNode> list, String scalar) {
    this.file = file;
    this.path = path;
    this.line = loc == null ? 0 : loc.getLineNr();
    this.column = loc == null ? 0 : loc.getColumnNr();
    this.kind = kind;
    this.map = map;
    this.list = list;
    this.scalar = scalar;
  }

  /**
   * Parses one YAML document.
   *
   * @throws ConfigurationException naming the file, line and column of a syntax error or repeated key
   */
  static YamlNode parse(String file, Reader reader) {
    try (JsonParser p = FACTORY.createParser(reader)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken t = p.nextToken();
      if (t == null) {
        return new YamlNode(file, "", null, Kind.NULL, null, null, null);
      }
      YamlNode root = read(file, "", p);
      if (p.nextToken() != null) {
        throw new ConfigurationException(file + ": line " + p.currentTokenLocation().getLineNr()
            + ": a plan file holds one YAML document; remove the second '---'");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(YamlSyntaxChecker.describe(file, e) + " (YAML syntax)", e);
    } catch (IOException e) {
      throw new ConfigurationException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static YamlNode read(String file, String path, JsonParser p) throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    JsonToken t = p.currentToken();
    if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
      // Jackson reports an alias as a string holding the anchor's name: never read '*s' as "s"
      throw new YamlNode(file, path, loc, Kind.NULL, null, null, null).error("YAML aliases ('*" + p.getText()
          + "') are not supported in a plan file; write the value out");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, YamlNode> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          m.put(key, read(file, path.isEmpty() ? key : path + "." + key, p));
        }
        return new YamlNode(file, path, loc, Kind.MAP, Collections.unmodifiableMap(m), null, null);
      }
      case START_ARRAY: {
        List<YamlNode> l = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(file, path + "[" + i++ + "]", p));
        }
        return new YamlNode(file, path, loc, Kind.LIST, null, List.copyOf(l), null);
      }
      case VALUE_NULL:
        return new YamlNode(file, path, loc, Kind.NULL, null, null, null);
      default:
        return new YamlNode(file, path, loc, Kind.SCALAR, null, null, p.getText());
    }
  }

  Kind kind() {
    return kind;
  }

  /** The key path, e.g. {@code targets[1].schedule}; {@code ""} for the root. */
  String path() {
    return path;
  }

  int line() {
    return line;
  }

  /** An error about this node: {@code FILE: line L, column C: PATH: MESSAGE}. */
  ConfigurationException error(String message) {
    return new ConfigurationException(file + ": line " + line + ", column " + column + ": "
        + (path.isEmpty() ? "" : path + ": ") + message);
  }

  /** An error about this node, keeping the cause. */
  ConfigurationException error(String message, Throwable cause) {
    ConfigurationException e = error(message);
    e.initCause(cause);
    return e;
  }

  boolean isNull() {
    return kind == Kind.NULL;
  }

  /** This node's entries; fails if it is not a mapping. */
  Map<String, YamlNode> map() {
    if (kind != Kind.MAP) {
      throw error("expected a mapping (key: value lines), found " + describe());
    }
    return map;
  }

  /** This node's items; a single scalar counts as a one-item list. */
  List<YamlNode> list() {
    if (kind == Kind.SCALAR) {
      return List.of(this);
    }
    if (kind != Kind.LIST) {
      throw error("expected a list, found " + describe());
    }
    return list;
  }

  /** This node's text; fails if it is not a scalar. */
  String text() {
    if (kind != Kind.SCALAR) {
      throw error("expected a single value, found " + describe());
    }
    return scalar;
  }

  /** Items as strings. */
  List<String> strings() {
    List<String> out = new ArrayList<>();
    for (YamlNode n : list()) {
      out.add(n.text());
    }
    return List.copyOf(out);
  }

  /** The child at {@code key}, or null if absent (only for mappings). */
  YamlNode get(String key) {
    YamlNode n = map().get(key);
    return n == null || n.isNull() ? null : n;
  }

  /** The child at {@code key}; fails naming the key if it is absent. */
  YamlNode require(String key) {
    YamlNode n = get(key);
    if (n == null) {
      throw error("missing required key '" + key + "'");
    }
    return n;
  }

  /** Fails on the first key of this mapping that is not in {@code allowed}, naming the allowed ones. */
  void allowOnly(Set<String> allowed) {
    for (Map.Entry<String, YamlNode> e : map().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        throw e.getValue().error("unknown key '" + e.getKey() + "'; allowed here: "
            + String.join(", ", new java.util.TreeSet<>(allowed)));
      }
    }
  }

  private String describe() {
    switch (kind) {
      case MAP:
        return "a mapping";
      case LIST:
        return "a list";
      case NULL:
        return "nothing";
      default:
        return "'" + scalar + "'";
    }
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + " " + path;
  }
}
