package dev.cairn.backup.influx;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.List;

import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads InfluxDB 1.x metadata and the points of one measurement window, shared by the backup and by
 * the verification after a restore so both compute counts and checksums the same way.
 */
final class Influx1Export {
  /** InfluxQL's smallest timestamp. */
  static final long MIN_TIME = Long.MIN_VALUE + 2;
  /**
   * The exclusive end of all time: one past InfluxDB's largest timestamp (math.MaxInt64 - 1), so that
   * {@code time < MAX_TIME} still selects a point stored at the largest time.
   */
  static final long MAX_TIME = Long.MAX_VALUE;
  /** Nanoseconds from Go's zero time (0001-01-01) to the Unix epoch, modulo nothing: use with BigInteger. */
  private static final BigInteger GO_EPOCH_OFFSET_NS = BigInteger.valueOf(62_135_596_800L).multiply(BigInteger.valueOf(1_000_000_000L));

  /** Fields with their types (more than one when shards disagree) and tag keys of a measurement. */
  record MeasurementSchema(SortedMap<String, Set<FieldType>> fields, List<String> tagKeys) {
    boolean mixedTypes() {
      return fields.values().stream().anyMatch(s -> s.size() > 1);
    }
  }

  private final Influx1Client client;
  private final int chunkSize;

  Influx1Export(Influx1Client client, int chunkSize) {
    this.client = client;
    this.chunkSize = chunkSize;
  }

  List<String> databases() throws IOException {
    return firstColumn(client.query(null, "SHOW DATABASES"));
  }

  List<Metadata.RetentionPolicy> retentionPolicies(String db) throws IOException {
    List<Metadata.RetentionPolicy> out = new ArrayList<>();
    for (Influx1Client.Series s : client.query(db, "SHOW RETENTION POLICIES ON " + Names.ident(db))) {
      int name = s.columns().indexOf("name");
      int duration = s.columns().indexOf("duration");
      int sgd = s.columns().indexOf("shardGroupDuration");
      int replica = s.columns().indexOf("replicaN");
      int def = s.columns().indexOf("default");
      for (List<Object> row : s.values()) {
        out.add(new Metadata.RetentionPolicy((String) row.get(name), (String) row.get(duration),
            (String) row.get(sgd), ((Number) row.get(replica)).intValue(), Boolean.TRUE.equals(row.get(def))));
      }
    }
    return out;
  }

  List<Metadata.ContinuousQuery> continuousQueries(String db) throws IOException {
    List<Metadata.ContinuousQuery> out = new ArrayList<>();
    for (Influx1Client.Series s : client.query(db, "SHOW CONTINUOUS QUERIES")) {
      if (!db.equals(s.name())) {
        continue;
      }
      for (List<Object> row : s.values()) {
        out.add(new Metadata.ContinuousQuery((String) row.get(0), (String) row.get(1)));
      }
    }
    return out;
  }

  List<String> measurements(String db) throws IOException {
    return firstColumn(client.query(db, "SHOW MEASUREMENTS ON " + Names.ident(db)));
  }

  MeasurementSchema schema(String db, String rp, String measurement) throws IOException {
    SortedMap<String, Set<FieldType>> fields = new TreeMap<>();
    String from = " ON " + Names.ident(db) + " FROM " + Names.ident(rp) + "." + Names.ident(measurement);
    for (Influx1Client.Series s : client.query(db, "SHOW FIELD KEYS" + from)) {
      for (List<Object> row : s.values()) {
        fields.computeIfAbsent((String) row.get(0), k -> EnumSet.noneOf(FieldType.class))
            .add(FieldType.parse((String) row.get(1)));
      }
    }
    List<String> tags = new ArrayList<>(new TreeSet<>(firstColumn(client.query(db, "SHOW TAG KEYS" + from))));
    return new MeasurementSchema(fields, tags);
  }

  /**
   * Starts of the windows of {@code windowNs} (aligned to the epoch) in [{@code from}, {@code to}) that
   * hold points, found with one {@code COUNT(*) … GROUP BY time() fill(none)} query. A field with
   * several types is also counted once per type ({@code COUNT("f"::string)}), because the server
   * resolves {@code *} to one type and would skip windows whose shards hold only another.
   */
  List<Long> nonEmptyWindows(String db, String rp, String measurement, MeasurementSchema schema, long from,
      long to, long windowNs) throws IOException {
    List<Long> out = new ArrayList<>();
    StringBuilder counts = new StringBuilder("COUNT(*)");
    schema.fields().forEach((k, types) -> {
      if (types.size() > 1) {
        for (FieldType t : types) {
          counts.append(", COUNT(").append(Names.ident(k)).append("::")
              .append(t == FieldType.UNSIGNED ? "unsigned" : t.name().toLowerCase(java.util.Locale.ROOT)).append(')');
        }
      }
    });
    String q = "SELECT " + counts + " FROM " + qualified(db, rp, measurement) + " WHERE time >= " + from
        + " AND time < " + to + " GROUP BY time(" + windowNs + "ns) fill(none)";
    client.query(db, q, chunkSize, s -> {
      for (List<Object> row : s.values()) {
        out.add(((Number) row.get(0)).longValue());
      }
    });
    // InfluxDB's GROUP BY time() does not count points at the very end of time (math.MaxInt64 - 1):
    // count the window that reaches the end of time without GROUP BY
    long lastStart = Windows.floor(to - 1, windowNs);
    if (to > MAX_TIME - windowNs && !out.contains(lastStart)) {
      String last = "SELECT " + counts + " FROM " + qualified(db, rp, measurement) + " WHERE time >= "
          + Math.max(from, lastStart) + " AND time < " + to;
      boolean[] any = {false};
      client.query(db, last, chunkSize, s -> {
        for (List<Object> row : s.values()) {
          for (int i = 1; i < row.size(); i++) {
            any[0] |= row.get(i) instanceof Number n && n.longValue() > 0;
          }
        }
      });
      if (any[0]) {
        out.add(lastStart);
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Writes the points of [{@code start}, {@code end}) to {@code writer} in time order. When a field has
   * several types across shards, the window is queried shard by shard (at multiples of the shard
   * group duration, as InfluxDB truncates them), so the server never casts one type into another.
   */
  void exportWindow(String db, String rp, long shardGroupNs, String measurement, MeasurementSchema schema,
      long start, long end, WindowWriter writer) throws IOException {
    if (schema.fields().isEmpty()) {
      return;
    }
    List<String> fieldKeys = new ArrayList<>(schema.fields().keySet());
    List<FieldType[]> types = new ArrayList<>();
    for (String k : fieldKeys) {
      types.add(schema.fields().get(k).toArray(new FieldType[0]));
    }
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < fieldKeys.size(); i++) {
      select.append(i == 0 ? "" : ",").append(Names.ident(fieldKeys.get(i))).append("::field");
    }
    for (String t : schema.tagKeys()) {
      select.append(',').append(Names.ident(t)).append("::tag");
    }
    select.append(" FROM ").append(qualified(db, rp, measurement));
    List<long[]> ranges = new ArrayList<>();
    if (schema.mixedTypes() && shardGroupNs > 0) {
      long s = start;
      while (s < end) {
        long next = nextShardBoundary(s, shardGroupNs);
        long e = Math.min(end, next);
        ranges.add(new long[] {s, e});
        s = e;
      }
    } else {
      ranges.add(new long[] {start, end});
    }
    int nf = fieldKeys.size();
    int nt = schema.tagKeys().size();
    for (long[] r : ranges) {
      String q = select + " WHERE time >= " + r[0] + " AND time < " + r[1];
      Map<List<String>, String> seriesKeys = new HashMap<>();
      client.query(db, q, chunkSize, s -> {
        for (List<Object> row : s.values()) {
          long time = ((Number) row.get(0)).longValue();
          List<WindowWriter.Field> fields = new ArrayList<>(nf);
          for (int i = 0; i < nf; i++) {
            Object v = row.get(1 + i);
            if (v != null) {
              fields.add(new WindowWriter.Field(fieldKeys.get(i), typeOf(v, types.get(i)), v));
            }
          }
          String[] tagValues = new String[nt];
          for (int i = 0; i < nt; i++) {
            Object v = row.get(1 + nf + i);
            tagValues[i] = v == null ? null : v.toString();
          }
          List<String> tags = Arrays.asList(tagValues);
          String key = seriesKeys.get(tags);
          if (key == null) {
            key = WindowWriter.seriesKey(measurement, schema.tagKeys(), tags);
            if (seriesKeys.size() < 100_000) {
              seriesKeys.put(tags, key);
            }
          }
          writer.add(time, key, fields);
        }
      });
    }
  }

  /** MessagePack does not tell signed from unsigned integers: the field's declared type decides. */
  private static FieldType typeOf(Object v, FieldType[] declared) {
    if (v instanceof Double) {
      return FieldType.FLOAT;
    }
    if (v instanceof String) {
      return FieldType.STRING;
    }
    if (v instanceof Boolean) {
      return FieldType.BOOLEAN;
    }
    if (v instanceof BigInteger) {
      return FieldType.UNSIGNED;
    }
    boolean unsigned = false;
    for (FieldType t : declared) {
      if (t == FieldType.INTEGER) {
        return FieldType.INTEGER;
      }
      unsigned |= t == FieldType.UNSIGNED;
    }
    return unsigned ? FieldType.UNSIGNED : FieldType.INTEGER;
  }

  /** The first shard boundary after {@code t}: Go truncates times to multiples of the duration since year 1. */
  static long nextShardBoundary(long t, long shardGroupNs) {
    BigInteger d = BigInteger.valueOf(shardGroupNs);
    long rem = BigInteger.valueOf(t).add(GO_EPOCH_OFFSET_NS).mod(d).longValue();
    long startOfShard = t - rem;
    return startOfShard > MAX_TIME - shardGroupNs ? MAX_TIME : startOfShard + shardGroupNs;
  }

  static String qualified(String db, String rp, String measurement) {
    return Names.ident(db) + "." + Names.ident(rp) + "." + Names.ident(measurement);
  }

  /** Parses a Go duration as InfluxDB prints it ({@code 168h0m0s}, {@code 0s}, {@code 30m0s}) into nanoseconds. */
  static long goDurationNanos(String s) {
    long total = 0;
    long num = 0;
    boolean digits = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isDigit(c)) {
        num = num * 10 + (c - '0');
        digits = true;
        continue;
      }
      if (!digits) {
        throw new IllegalArgumentException("not a duration: " + s);
      }
      long unit;
      if (s.startsWith("ns", i)) {
        unit = 1;
        i++;
      } else if (s.startsWith("us", i) || s.startsWith("µs", i)) {
        unit = 1_000;
        i++;
      } else if (s.startsWith("ms", i)) {
        unit = 1_000_000;
        i++;
      } else if (c == 's') {
        unit = 1_000_000_000L;
      } else if (c == 'm') {
        unit = 60_000_000_000L;
      } else if (c == 'h') {
        unit = 3_600_000_000_000L;
      } else {
        throw new IllegalArgumentException("not a duration: " + s);
      }
      total += num * unit;
      num = 0;
      digits = false;
    }
    return total;
  }

  private static List<String> firstColumn(List<Influx1Client.Series> series) {
    List<String> out = new ArrayList<>();
    for (Influx1Client.Series s : series) {
      for (List<Object> row : s.values()) {
        out.add(String.valueOf(row.get(0)));
      }
    }
    return out;
  }

}
