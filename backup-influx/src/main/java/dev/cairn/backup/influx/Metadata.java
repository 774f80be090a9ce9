package dev.cairn.backup.influx;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The metadata entry written next to a database's or bucket's data ({@code <db>/.database.json},
 * {@code <bucket>/.bucket.json}): what a restore recreates before writing points. Format version 1.
 */
final class Metadata {
  static final String DATABASE_ENTRY = ".database.json";
  static final String BUCKET_ENTRY = ".bucket.json";
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Metadata() {}

  /** A 1.x retention policy, durations as InfluxDB prints them (Go syntax, {@code 0s} = infinite). */
  record RetentionPolicy(String name, String duration, String shardGroupDuration, int replicaN,
      @JsonProperty("default") boolean isDefault) {}

  /** A 1.x continuous query, as {@code SHOW CONTINUOUS QUERIES} prints it. */
  record ContinuousQuery(String name, String query) {}

  /** A 1.x database. */
  record Database(int format, String name, List<RetentionPolicy> retentionPolicies,
      List<ContinuousQuery> continuousQueries) {}

  /** A 2.x bucket; {@code retentionSeconds} 0 means infinite. */
  record Bucket(int format, String name, String org, long retentionSeconds, long shardGroupSeconds,
      String description) {}

  static byte[] write(Object value) throws IOException {
    return JSON.writeValueAsBytes(value);
  }

  static <T> T read(InputStream in, Class<T> type) throws IOException {
    T v = JSON.readValue(in, type);
    return v;
  }
}
