package dev.cairn.backup.influx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real InfluxDB 1.x ({@code influxd} from Debian's {@code influxdb} package, installed with apt-get
 * if missing by {@code scripts/influxd-test.sh}) on free loopback ports with a temporary data
 * directory, started before the test class and stopped after it. Register with {@code @RegisterExtension static InfluxServer influx = ...}.
 */
final class InfluxServer implements BeforeAllCallback, AfterAllCallback {
  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD = "s3cret pw";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final boolean auth;
  private Path dir;
  private Process process;
  private int port;

  private InfluxServer(boolean auth) {
    this.auth = auth;
  }

  /** A server without authentication. */
  static InfluxServer plain() {
    return new InfluxServer(false);
  }

  /** A server with {@code auth-enabled = true} and an admin user {@link #ADMIN}. */
  static InfluxServer withAuth() {
    return new InfluxServer(true);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("cairn-influxd-");
    port = freePort();
    Path script = Path.of("..", "scripts", "influxd-test.sh").toAbsolutePath().normalize();
    process = new ProcessBuilder("bash", script.toString(), dir.toString(), Integer.toString(port),
        Integer.toString(freePort()), Boolean.toString(auth))
        .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 204) {
          break;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("influxd (scripts/influxd-test.sh) did not start; log:\n" + Files.readString(dir.resolve("influxd.log")));
      }
      Thread.sleep(100);
    }
    if (auth) {
      execute("CREATE USER " + ADMIN + " WITH PASSWORD '" + ADMIN_PASSWORD + "' WITH ALL PRIVILEGES");
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    if (dir != null) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs a statement with POST (as admin when auth is on); fails on an error in the answer. */
  String execute(String q) throws IOException, InterruptedException {
    String body = send(HttpRequest.newBuilder(uri("/query", "q=" + enc(q)))
        .POST(HttpRequest.BodyPublishers.noBody()));
    if (body.contains("\"error\"")) {
      throw new IllegalStateException(q + ": " + body);
    }
    return body;
  }

  /** Runs a query and returns InfluxDB's JSON answer (epoch=ns). */
  String query(String db, String q) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri("/query", "db=" + enc(db) + "&epoch=ns&q=" + enc(q))).GET());
  }

  /** Writes line protocol (nanosecond timestamps) into db/rp. */
  void write(String db, String rp, String lines) throws IOException, InterruptedException {
    write(db, rp, lines.getBytes(StandardCharsets.UTF_8));
  }

  void write(String db, String rp, byte[] lines) throws IOException, InterruptedException {
    String qs = "db=" + enc(db) + (rp == null ? "" : "&rp=" + enc(rp)) + "&precision=ns";
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/write", qs)).POST(HttpRequest.BodyPublishers.ofByteArray(lines));
    HttpResponse<String> r = HTTP.send(authorize(b).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) {
      throw new IllegalStateException("write failed: HTTP " + r.statusCode() + " " + r.body());
    }
  }

  private String send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(authorize(b).timeout(Duration.ofMinutes(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private HttpRequest.Builder authorize(HttpRequest.Builder b) {
    if (auth) {
      b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
          (ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
    return b;
  }

  private URI uri(String path, String qs) {
    return URI.create(url() + path + "?" + qs);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
