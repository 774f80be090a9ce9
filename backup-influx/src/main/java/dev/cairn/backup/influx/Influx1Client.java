package dev.cairn.backup.influx;

import dev.cairn.backup.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * InfluxDB 1.x over its HTTP API with the JDK's HTTP client: {@code /ping}, {@code /query} with
 * MessagePack responses (exact integer and float types, chunked), and {@code /write} with line protocol
 * in nanosecond precision. Thread-safe.
 */
final class Influx1Client {
  /** One series of a query result. */
  record Series(String name, Map<String, Object> tags, List<String> columns, List<List<Object>> values) {}

  /** Receives series of a streamed query result. */
  interface SeriesConsumer {
    void accept(Series series) throws IOException;
  }

  private final URI base;
  private final String authorization;
  private final HttpClient http;
  private final Duration timeout;

  Influx1Client(String url, String username, Secret password, Duration timeout) {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.base = URI.create(u);
    if (base.getScheme() == null || base.getHost() == null) {
      throw new IllegalArgumentException("InfluxDB URL must look like http://host:8086, got '" + url + "'");
    }
    this.authorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (username + ":" + (password == null ? "" : password.reveal())).getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The URL without credentials, for messages. */
  String url() {
    return base.toString();
  }

  /** Pings the server and returns its version (the {@code X-Influxdb-Version} header). */
  String ping() throws IOException {
    HttpResponse<String> r = send(request("/ping", Map.of()).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new InfluxHttpException(r.statusCode(), "ping answered HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.headers().firstValue("X-Influxdb-Version").orElse("unknown");
  }

  /** Runs a read-only statement and collects every series (for small metadata results). */
  List<Series> query(String db, String q) throws IOException {
    List<Series> out = new ArrayList<>();
    query(db, q, 10_000, out::add);
    return out;
  }

  /** Runs a statement in chunks of {@code chunkSize} rows and streams the series to {@code consumer}. */
  void query(String db, String q, int chunkSize, SeriesConsumer consumer) throws IOException {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    if (db != null) {
      params.put("db", db);
    }
    params.put("q", q);
    params.put("epoch", "ns");
    params.put("chunked", "true");
    params.put("chunk_size", Integer.toString(chunkSize));
    HttpRequest req = request("/query", params).header("Accept", "application/x-msgpack").GET().build();
    HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() / 100 != 2) {
        throw new InfluxHttpException(r.statusCode(), errorText(r.statusCode(), body));
      }
      MsgPack mp = new MsgPack(new java.io.BufferedInputStream(body, 1 << 16));
      Map<String, Object> msg;
      while ((msg = mp.nextMessage()) != null) {
        if (msg.get("error") != null) {
          throw new InfluxHttpException(200, q + ": " + msg.get("error"));
        }
        for (Object result : list(msg.get("results"))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> res = (Map<String, Object>) result;
          if (res.get("error") != null) {
            throw new InfluxHttpException(200, q + ": " + res.get("error"));
          }
          for (Object s : list(res.get("series"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) s;
            @SuppressWarnings("unchecked")
            Map<String, Object> tags = m.get("tags") == null ? Map.of() : (Map<String, Object>) m.get("tags");
            List<String> columns = new ArrayList<>();
            for (Object c : list(m.get("columns"))) {
              columns.add(String.valueOf(c));
            }
            List<List<Object>> values = new ArrayList<>();
            for (Object row : list(m.get("values"))) {
              @SuppressWarnings("unchecked")
              List<Object> l = (List<Object>) row;
              values.add(l);
            }
            consumer.accept(new Series(String.valueOf(m.get("name")), tags, columns, values));
          }
        }
      }
    }
  }

  /** Runs a statement that changes the server (CREATE, ALTER, DROP) with POST. */
  void execute(String db, String q) throws IOException {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    if (db != null) {
      params.put("db", db);
    }
    params.put("q", q);
    HttpRequest req = request("/query", params).header("Accept", "application/x-msgpack")
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = r.body()) {
      if (r.statusCode() / 100 != 2) {
        throw new InfluxHttpException(r.statusCode(), errorText(r.statusCode(), body));
      }
      Map<String, Object> msg = new MsgPack(body).nextMessage();
      if (msg != null) {
        if (msg.get("error") != null) {
          throw new InfluxHttpException(200, q + ": " + msg.get("error"));
        }
        for (Object result : list(msg.get("results"))) {
          Object err = ((Map<?, ?>) result).get("error");
          if (err != null) {
            throw new InfluxHttpException(200, q + ": " + err);
          }
        }
      }
    }
  }

  /** Writes line protocol with nanosecond timestamps into {@code db}/{@code rp}. */
  void write(String db, String rp, byte[] lines, int length) throws IOException {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("db", db);
    if (rp != null) {
      params.put("rp", rp);
    }
    params.put("precision", "ns");
    HttpRequest req = request("/write", params)
        .POST(HttpRequest.BodyPublishers.ofByteArray(lines, 0, length)).build();
    HttpResponse<String> r = send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new InfluxHttpException(r.statusCode(), "write to " + db + "/" + rp + " answered HTTP "
          + r.statusCode() + ": " + r.body().trim());
    }
  }

  private HttpRequest.Builder request(String path, Map<String, String> params) {
    StringJoiner qs = new StringJoiner("&");
    params.forEach((k, v) -> qs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + (params.isEmpty() ? "" : "?" + qs)))
        .timeout(timeout);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(req, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while talking to InfluxDB at " + base);
    }
  }

  private static String errorText(int status, InputStream body) throws IOException {
    byte[] b = body.readNBytes(4096);
    String text = new String(b, StandardCharsets.UTF_8).trim();
    if (!text.isEmpty() && text.charAt(0) != '{') {
      // a MessagePack error body: show the readable part
      text = text.replaceAll("[^\\p{Print}]", " ").trim();
    }
    return "HTTP " + status + ": " + text;
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }
}
