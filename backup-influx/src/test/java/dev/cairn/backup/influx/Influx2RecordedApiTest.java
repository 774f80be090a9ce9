package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2.x code against handcrafted exchanges of the InfluxDB 2.x HTTP API (bucket and organization
 * JSON, annotated CSV query answers with every field type, line protocol writes), served on loopback
 * by the JDK's HTTP server: no 2.x server can be installed on the build machines. What a real 2.x
 * server does with the Flux text itself is covered by {@link Influx2IT} only.
 */
class Influx2RecordedApiTest {
  static final String TOKEN = "good-token";
  static final String ORG = "acme";
  static final ObjectMapper JSON = new ObjectMapper();

  /** Annotated CSV of the pivoted export query, as a 2.x server streams it (CRLF line ends). */
  static final String POINTS_CSV = String.join("\r\n",
      "#datatype,string,long,dateTime:RFC3339Nano,string,string,string,double,long,unsignedLong,string,boolean",
      "#group,false,false,false,false,false,false,false,false,false,false,false",
      "#default,_result,,,,,,,,,,",
      ",result,table,_time,_measurement,host,k ey,_f:usage,_f:n,_f:u,_f:s\"q,_f:ok",
      ",,0,2026-11-26T00:00:00.000000001Z,cpu,b,,1.5,,,,",
      ",,0,2026-11-26T00:00:00.000000001Z,cpu,a,\"x,y=z\",0.1,-9223372036854775808,18446744073709551615,"
          + "\"he said \"\"hi\"\", ok\nsecond line \\ ✓\",true",
      ",,0,2026-11-26T13:00:00Z,cpu,a,,1E-7,42,,,false",
      "", "");

  static final String EXPECTED_ENTRY = String.join("\n",
      "cpu,host=a,k\\ ey=x\\,y\\=z n=-9223372036854775808i,ok=true,s\\\"q=\"he said \\\"hi\\\", ok\nsecond line \\\\ ✓\","
          + "u=18446744073709551615u,usage=0.1 1795651200000000001",
      "cpu,host=b usage=1.5 1795651200000000001",
      "cpu,host=a n=42i,ok=false,usage=0.00000010 1795698000000000000", "");

  HttpServer server;
  final Map<String, Boolean> buckets = Collections.synchronizedMap(new LinkedHashMap<>());
  final List<String> writes = Collections.synchronizedList(new ArrayList<>());
  final List<String> writeQueries = Collections.synchronizedList(new ArrayList<>());
  final List<JsonNode> createdBuckets = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws IOException {
    buckets.put("telegraf", true);
    buckets.put("_monitoring", false);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (path.equals("/ping")) {
      ex.getResponseHeaders().add("X-Influxdb-Version", "v2.7.10");
      ex.sendResponseHeaders(204, -1);
      ex.close();
      return;
    }
    if (!("Token " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      send(ex, 401, "application/json", "{\"code\":\"unauthorized\",\"message\":\"unauthorized access\"}");
      return;
    }
    String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
    switch (ex.getRequestMethod() + " " + path) {
      case "GET /api/v2/buckets" -> {
        StringBuilder sb = new StringBuilder("{\"links\":{\"self\":\"/api/v2/buckets\"},\"buckets\":[");
        if (!query.contains("offset=") || query.contains("offset=0")) {
          List<String> names = new ArrayList<>(buckets.keySet());
          for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(bucketJson(names.get(i)));
          }
        }
        send(ex, 200, "application/json", sb.append("]}").toString());
      }
      case "GET /api/v2/orgs" -> send(ex, 200, "application/json",
          "{\"links\":{\"self\":\"/api/v2/orgs\"},\"orgs\":[{\"id\":\"0a1b2c3d4e5f6a7b\",\"name\":\"" + ORG + "\"}]}");
      case "POST /api/v2/buckets" -> {
        JsonNode b = JSON.readTree(body);
        createdBuckets.add(b);
        buckets.put(b.get("name").asText(), false);
        send(ex, 201, "application/json", bucketJson(b.get("name").asText()));
      }
      case "POST /api/v2/write" -> {
        writeQueries.add(query);
        writes.add(body);
        Matcher m = Pattern.compile("bucket=([^&]*)").matcher(query);
        if (m.find()) {
          buckets.put(java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), true);
        }
        ex.sendResponseHeaders(204, -1);
        ex.close();
      }
      case "POST /api/v2/query" -> send(ex, 200, "text/csv; charset=utf-8", answer(JSON.readTree(body).get("query").asText()));
      default -> send(ex, 404, "application/json", "{\"code\":\"not found\",\"message\":\"path not found\"}");
    }
  }

  private String answer(String flux) {
    Matcher m = Pattern.compile("bucket: \"([^\"]*)\"").matcher(flux);
    boolean data = m.find() && Boolean.TRUE.equals(buckets.get(m.group(1)));
    if (!data) {
      return "\r\n";
    }
    if (flux.contains("schema.measurements")) {
      return "#datatype,string,long,string\r\n#group,false,false,false\r\n#default,_result,,\r\n"
          + ",result,table,_value\r\n,,0,cpu\r\n\r\n";
    }
    if (flux.contains("aggregateWindow")) {
      return "#datatype,string,long,dateTime:RFC3339\r\n#group,false,false,false\r\n#default,_result,,\r\n"
          + ",result,table,_value\r\n,,0,2026-11-26T00:00:00Z\r\n\r\n";
    }
    if (flux.contains("pivot(")) {
      return POINTS_CSV;
    }
    if (flux.contains("limit(n: 1)")) {
      return "#datatype,string,long,dateTime:RFC3339,double\r\n#group,false,false,false,false\r\n#default,_result,,,\r\n"
          + ",result,table,_time,_value\r\n,,0,2026-11-26T00:00:00Z,1\r\n\r\n";
    }
    throw new AssertionError("unexpected Flux: " + flux);
  }

  private static String bucketJson(String name) {
    return "{\"id\":\"" + Integer.toHexString(name.hashCode()) + "\",\"orgID\":\"0a1b2c3d4e5f6a7b\",\"type\":\""
        + (name.startsWith("_") ? "system" : "user") + "\",\"name\":\"" + name + "\",\"description\":\"metrics\","
        + "\"retentionRules\":[{\"type\":\"expire\",\"everySeconds\":0,\"shardGroupDurationSeconds\":604800}],"
        + "\"createdAt\":\"2026-11-01T00:00:00Z\",\"updatedAt\":\"2026-11-01T00:00:00Z\",\"labels\":[],"
        + "\"links\":{\"self\":\"/api/v2/buckets/x\"}}";
  }

  private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  InfluxSource source(String token) {
    return InfluxSource.v2(url()).token(Secret.of(token)).org(ORG).build();
  }

  @Test
  void backsUpEveryFieldTypeExactlyAsLineProtocol(@TempDir Path dir) throws Exception {
    SourceHarness h = SourceHarness.run(source(TOKEN), dir);

    assertThat(h.entries()).containsOnlyKeys("telegraf/.bucket.json", "telegraf/cpu/2026-11-26.lp");
    assertThat(Files.readString(h.file("telegraf/cpu/2026-11-26.lp"))).isEqualTo(EXPECTED_ENTRY);
    assertThat(h.verifications().get("telegraf/cpu/2026-11-26").count()).isEqualTo(3);
    assertThat(h.verifications().get("telegraf/cpu").count()).isEqualTo(3);
    assertThat(h.metadata()).containsEntry("influx.api", "2").containsEntry("influx.org", ORG);
    assertThat(Files.readString(h.file("telegraf/.bucket.json"))).contains("\"shardGroupSeconds\" : 604800");
  }

  @Test
  void restoresIntoANewBucketAndVerifies(@TempDir Path dir) throws Exception {
    SourceHarness h = SourceHarness.run(source(TOKEN), dir);

    RestoreResult r = h.restore(InfluxRestorer.v2(url()).token(Secret.of(TOKEN)).org(ORG)
        .rename("telegraf", "restored").build());

    assertThat(createdBuckets).singleElement().satisfies(b -> {
      assertThat(b.get("name").asText()).isEqualTo("restored");
      assertThat(b.get("orgID").asText()).isEqualTo("0a1b2c3d4e5f6a7b");
    });
    assertThat(String.join("", writes)).isEqualTo(EXPECTED_ENTRY);
    assertThat(writeQueries).allSatisfy(q -> assertThat(q).contains("bucket=restored", "precision=ns", "org=acme"));
    assertThat(r.verified()).isTrue();
    assertThat(r.results()).hasSize(2);
    assertThat(r.destination()).isEqualTo("influx2://127.0.0.1:" + server.getAddress().getPort() + "/acme/restored");
  }

  @Test
  void refusesABucketThatHoldsPoints(@TempDir Path dir) throws Exception {
    SourceHarness h = SourceHarness.run(source(TOKEN), dir);

    assertThatThrownBy(() -> h.restore(InfluxRestorer.v2(url()).token(Secret.of(TOKEN)).org(ORG).build()))
        .isInstanceOf(RestoreException.class).hasMessageContaining("'telegraf'").hasMessageContaining("allowNonEmpty");
    assertThat(writes).isEmpty();
  }

  @Test
  void wrongTokenFailsTheBackup(@TempDir Path dir) {
    assertThatThrownBy(() -> SourceHarness.run(source("bad-token"), dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("token")
        .hasMessageNotContaining("bad-token");
  }

  @Test
  void missingBucketFailsTheBackup(@TempDir Path dir) {
    InfluxSource s = InfluxSource.v2(url()).token(Secret.of(TOKEN)).org(ORG).bucket("nope").build();
    assertThatThrownBy(() -> SourceHarness.run(s, dir))
        .isInstanceOf(SourceException.class).hasMessageContaining("bucket 'nope' does not exist");
  }
}
