package dev.cairn.backup.cli;

import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.spi.EntryMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API's values (snake_case keys, ISO-8601 times, full hex ids). */
final class Json {
  private Json() {}

  static Map<String, Object> snapshot(Snapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id().hex());
    m.put("short_id", s.id().shortHex());
    m.put("time", s.time().toString());
    m.put("host", s.host());
    m.put("plan", s.plan());
    m.put("tags", s.tags());
    m.put("parent", s.parent() == null ? null : s.parent().hex());
    m.put("complete", s.complete());
    m.put("checks_passed", s.checksPassed());
    m.put("bytes", s.bytes());
    List<Map<String, Object>> sources = s.sources().stream().map(Json::source).toList();
    m.put("sources", sources);
    return m;
  }

  static Map<String, Object> source(SnapshotSource s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("type", s.type());
    m.put("entries", s.entries());
    m.put("bytes", s.bytes());
    m.put("tree", s.tree().hex());
    m.put("metadata", s.metadata());
    return m;
  }

  static Map<String, Object> entry(String path, EntryMetadata e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("type", e.type().name().toLowerCase(java.util.Locale.ROOT));
    m.put("size", e.size());
    m.put("mode", e.mode() < 0 ? null : String.format("%04o", e.mode()));
    m.put("mtime", e.modifiedTime() == null ? null : e.modifiedTime().toString());
    return m;
  }
}
