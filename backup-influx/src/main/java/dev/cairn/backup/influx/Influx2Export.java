package dev.cairn.backup.influx;

import com.influxdb.query.FluxRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Flux queries of a 2.x backup and of the verification after a 2.x restore: measurements of a
 * bucket, non-empty windows, and the points of one window as rows (fields pivoted into columns,
 * prefixed so they never collide with tag columns), in time order.
 */
final class Influx2Export {
  /** Prefix given to field columns by the pivot, so tags and fields stay apart. */
  static final String FIELD_PREFIX = "_f:";
  private static final Set<String> SYSTEM_COLUMNS = Set.of("result", "table", "_time", "_measurement", "_start", "_stop");

  private final Influx2Client client;

  Influx2Export(Influx2Client client) {
    this.client = client;
  }

  List<String> measurements(String bucket, long from, long to) throws IOException {
    List<String> out = new ArrayList<>();
    for (Object v : client.column("import \"influxdata/influxdb/schema\"\nschema.measurements(bucket: "
        + Names.fluxString(bucket) + ", start: time(v: " + from + "), stop: time(v: " + to + "))", "_value")) {
      out.add(String.valueOf(v));
    }
    return out;
  }

  /** True when the bucket holds at least one point. */
  boolean hasPoints(String bucket) throws IOException {
    return !client.column("from(bucket: " + Names.fluxString(bucket) + ")\n  |> range(start: time(v: "
        + Influx1Export.MIN_TIME + "), stop: time(v: " + Influx1Export.MAX_TIME + "))\n  |> limit(n: 1)\n"
        + "  |> keep(columns: [\"_time\"])\n  |> group()\n  |> limit(n: 1)", "_time").isEmpty();
  }

  List<Long> nonEmptyWindows(String bucket, String measurement, long from, long to, long windowNs) throws IOException {
    List<Long> out = new ArrayList<>();
    String flux = select(bucket, measurement, from, to)
        + "  |> aggregateWindow(every: " + windowNs / 1_000_000_000L + "s, fn: count, createEmpty: false, timeSrc: \"_start\")\n"
        + "  |> keep(columns: [\"_time\"])\n  |> group()\n  |> distinct(column: \"_time\")";
    for (Object v : client.column(flux, "_value")) {
      out.add(Windows.toNanos((Instant) v));
    }
    out.sort(null);
    return out;
  }

  void exportWindow(String bucket, String measurement, long start, long end, WindowWriter writer) throws IOException {
    String flux = select(bucket, measurement, start, end)
        + "  |> map(fn: (r) => ({r with _field: " + Names.fluxString(FIELD_PREFIX) + " + r._field}))\n"
        + "  |> pivot(rowKey: [\"_time\"], columnKey: [\"_field\"], valueColumn: \"_value\")\n"
        + "  |> drop(columns: [\"_start\", \"_stop\"])\n  |> group()\n  |> sort(columns: [\"_time\"])";
    client.query(flux, (record, types) -> add(record, types, measurement, writer));
  }

  private static void add(FluxRecord record, Map<String, String> types, String measurement, WindowWriter writer)
      throws IOException {
    TreeMap<String, String> tags = new TreeMap<>();
    TreeMap<String, WindowWriter.Field> fields = new TreeMap<>();
    for (Map.Entry<String, Object> e : record.getValues().entrySet()) {
      String col = e.getKey();
      Object v = e.getValue();
      if (v == null || SYSTEM_COLUMNS.contains(col)) {
        continue;
      }
      if (col.startsWith(FIELD_PREFIX)) {
        if ("".equals(v)) {
          continue; // annotated CSV cannot tell an empty string from a missing pivoted field
        }
        String key = col.substring(FIELD_PREFIX.length());
        fields.put(key, new WindowWriter.Field(key, FieldType.parse(types.getOrDefault(col, typeName(v))), v));
      } else if (!v.toString().isEmpty()) {
        tags.put(col, v.toString());
      }
    }
    writer.add(Windows.toNanos(record.getTime()),
        WindowWriter.seriesKey(measurement, new ArrayList<>(tags.keySet()), new ArrayList<>(tags.values())),
        new ArrayList<>(fields.values()));
  }

  private static String typeName(Object v) {
    return v instanceof Double ? "double" : v instanceof Long ? "long" : v instanceof Boolean ? "boolean" : "string";
  }

  private static String select(String bucket, String measurement, long from, long to) {
    return "from(bucket: " + Names.fluxString(bucket) + ")\n  |> range(start: time(v: " + from + "), stop: time(v: "
        + to + "))\n  |> filter(fn: (r) => r._measurement == " + Names.fluxString(measurement) + ")\n";
  }
}
