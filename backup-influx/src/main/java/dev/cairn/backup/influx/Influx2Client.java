package dev.cairn.backup.influx;

import com.influxdb.Cancellable;
import com.influxdb.client.BucketsQuery;
import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.domain.Bucket;
import com.influxdb.client.domain.BucketRetentionRules;
import com.influxdb.client.domain.Dialect;
import com.influxdb.client.domain.Organization;
import com.influxdb.client.domain.Query;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.service.QueryService;
import com.influxdb.exceptions.InfluxException;
import com.influxdb.query.FluxColumn;
import com.influxdb.query.FluxRecord;
import com.influxdb.query.FluxTable;
import com.influxdb.query.internal.FluxCsvParser;
import dev.cairn.backup.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import retrofit2.Response;

/**
 * InfluxDB 2.x through influxdb-client-java: buckets, organizations, writes, and Flux queries whose
 * annotated CSV is parsed as it streams in, with each column's declared type (so {@code unsignedLong}
 * stays apart from {@code long}). Failures become {@link InfluxHttpException}s. Thread-safe.
 */
final class Influx2Client implements AutoCloseable {
  /** Receives each record of a query with the types of its table's columns. */
  interface RecordConsumer {
    void accept(FluxRecord record, Map<String, String> columnTypes) throws IOException;
  }

  private static final Dialect DIALECT = new Dialect().header(true).delimiter(",").commentPrefix("#")
      .annotations(List.of(Dialect.AnnotationsEnum.DATATYPE, Dialect.AnnotationsEnum.GROUP,
          Dialect.AnnotationsEnum.DEFAULT))
      .dateTimeFormat(Dialect.DateTimeFormatEnum.RFC3339NANO);

  private final String url;
  private final String org;
  private final InfluxDBClient client;

  Influx2Client(String url, Secret token, String org, Duration timeout) {
    this.url = url;
    this.org = org;
    OkHttpClient.Builder http = new OkHttpClient.Builder().readTimeout(timeout).writeTimeout(timeout)
        .connectTimeout(Duration.ofSeconds(10));
    this.client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder().url(url)
        .authenticateToken(token.chars()).org(org).okHttpClient(http).build());
  }

  String url() {
    return url;
  }

  String org() {
    return org;
  }

  String version() throws IOException {
    return call(client::version);
  }

  /** The organization's buckets, page by page. */
  List<Bucket> buckets() throws IOException {
    return call(() -> {
      List<Bucket> all = new ArrayList<>();
      int page = 100;
      while (true) {
        BucketsQuery q = new BucketsQuery();
        q.setOrg(org);
        q.setLimit(page);
        q.setOffset(all.size());
        List<Bucket> got = client.getBucketsApi().findBuckets(q);
        all.addAll(got);
        if (got.size() < page) {
          return all;
        }
      }
    });
  }

  Bucket createBucket(String name, long retentionSeconds, long shardGroupSeconds, String description) throws IOException {
    return call(() -> {
      Organization o = client.getOrganizationsApi().findOrganizations().stream()
          .filter(x -> org.equals(x.getName())).findFirst()
          .orElseThrow(() -> new InfluxException("organization '" + org + "' not found"));
      Bucket b = new Bucket().name(name).orgID(o.getId()).description(description);
      if (retentionSeconds > 0) {
        BucketRetentionRules rule = new BucketRetentionRules().everySeconds((int) retentionSeconds);
        if (shardGroupSeconds > 0) {
          rule.shardGroupDurationSeconds(shardGroupSeconds);
        }
        b.retentionRules(List.of(rule));
      }
      return client.getBucketsApi().createBucket(b);
    });
  }

  /** Runs a Flux query and streams its records. */
  void query(String flux, RecordConsumer consumer) throws IOException {
    Query q = new Query().query(flux).dialect(DIALECT);
    Response<ResponseBody> response;
    try {
      response = client.getService(QueryService.class)
          .postQueryResponseBody(null, null, "application/json", org, null, q).execute();
    } catch (IOException e) {
      throw e;
    } catch (InfluxException e) {
      throw translate(e);
    }
    if (!response.isSuccessful()) {
      throw translate(new InfluxException(response));
    }
    Map<Integer, FluxTable> tables = new HashMap<>();
    Map<FluxTable, Map<String, String>> types = new java.util.IdentityHashMap<>();
    Cancellable none = new Cancellable() {
      @Override
      public void cancel() {}

      @Override
      public boolean isCancelled() {
        return false;
      }
    };
    try (ResponseBody body = response.body()) {
      new FluxCsvParser().parseFluxResponse(body.source(), none, new FluxCsvParser.FluxResponseConsumer() {
        @Override
        public void accept(int index, Cancellable c, FluxTable table) {
          tables.put(index, table); // its columns are filled in after this call, as the header is read
        }

        @Override
        public void accept(int index, Cancellable c, FluxRecord record) {
          try {
            FluxTable table = tables.get(record.getTable());
            Map<String, String> columnTypes = table == null ? Map.of() : types.computeIfAbsent(table, t -> {
              Map<String, String> m = new HashMap<>();
              for (FluxColumn col : t.getColumns()) {
                m.put(col.getLabel(), col.getDataType());
              }
              return m;
            });
            consumer.accept(record, columnTypes);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (InfluxException e) {
      throw translate(e);
    }
  }

  /** Collects the values of one column of a query's records. */
  List<Object> column(String flux, String column) throws IOException {
    List<Object> out = new ArrayList<>();
    query(flux, (r, types) -> out.add(r.getValueByKey(column)));
    return out;
  }

  /** Writes line protocol with nanosecond timestamps into {@code bucket}. */
  void write(String bucket, byte[] lines, int length) throws IOException {
    String text = new String(lines, 0, length, StandardCharsets.UTF_8);
    call(() -> {
      client.getWriteApiBlocking().writeRecord(bucket, org, WritePrecision.NS, text);
      return null;
    });
  }

  interface Call<T> {
    T run();
  }

  private static <T> T call(Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (InfluxException e) {
      throw translate(e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static IOException translate(InfluxException e) {
    if (e.status() == 0 && e.getCause() instanceof IOException io) {
      return io;
    }
    InfluxHttpException h = new InfluxHttpException(e.status() == 0 ? 500 : e.status(), "HTTP " + e.status() + ": " + e.getMessage());
    h.initCause(e);
    return h;
  }

  @Override
  public void close() {
    client.close();
  }
}
