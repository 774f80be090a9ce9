package dev.cairn.backup.influx;

import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.testing.SourceHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Runnable benchmark helper for bench/influx-bench.sh (the cairn command line does not exist yet):
 * {@code generate URL DB POINTS} writes telegraf-like points (100 hosts; cpu, mem, disk, net,
 * system every 10 s); {@code roundtrip URL DB DIR NEWDB} backs DB up into DIR with
 * {@link InfluxSource} and restores it into NEWDB with {@link InfluxRestorer}, printing the wall
 * times. Entries go to a plain directory through {@link SourceHarness}: no repository (chunking,
 * compression, encryption) is involved.
 */
public final class InfluxBench {
  private InfluxBench() {}

  /** Entry point; see the class comment for the commands. */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> generate(args[1], args[2], Long.parseLong(args[3]));
      case "roundtrip" -> roundtrip(args[1], args[2], Path.of(args[3]), args[4]);
      default -> throw new IllegalArgumentException("usage: generate URL DB POINTS | roundtrip URL DB DIR NEWDB");
    }
  }

  static void generate(String url, String db, long points) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    post(http, url + "/query?q=" + java.net.URLEncoder.encode("CREATE DATABASE " + db, StandardCharsets.UTF_8), new byte[0]);
    long t0 = 1_795_000_000_000_000_000L;
    StringBuilder sb = new StringBuilder(16 << 20);
    long n = 0;
    for (long step = 0; n < points; step++) {
      long ts = t0 + step * 10_000_000_000L;
      for (int h = 0; h < 100 && n < points; h++) {
        double x = (step * 31 + h * 17) % 1000 / 10.0;
        String host = "host" + h;
        sb.append("cpu,cpu=cpu-total,host=").append(host).append(" usage_idle=").append(100 - x)
            .append(",usage_system=").append(x / 3).append(",usage_user=").append(x / 2).append(' ').append(ts).append('\n');
        sb.append("mem,host=").append(host).append(" available=").append(8_000_000_000L - step * 1000).append("i,used=")
            .append(step * 1000 + h).append("i,used_percent=").append(x).append(' ').append(ts).append('\n');
        sb.append("disk,device=sda1,fstype=ext4,host=").append(host).append(",path=/ free=").append(900_000_000_000L - step)
            .append("i,inodes_used=").append(step + h).append("i,used=").append(step * 4096).append("i ").append(ts).append('\n');
        sb.append("net,host=").append(host).append(",interface=eth0 bytes_recv=").append(step * 1500 + h)
            .append("i,bytes_sent=").append(step * 900).append("i,err_in=0i ").append(ts).append('\n');
        sb.append("system,host=").append(host).append(" load1=").append(x / 25).append(",n_users=").append(h % 5)
            .append("i,uptime=").append(step * 10).append("i ").append(ts).append('\n');
        n += 5;
      }
      if (sb.length() > 8 << 20) {
        post(http, url + "/write?db=" + db + "&precision=ns", sb.toString().getBytes(StandardCharsets.UTF_8));
        sb.setLength(0);
      }
    }
    if (sb.length() > 0) {
      post(http, url + "/write?db=" + db + "&precision=ns", sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    System.out.println("generated " + n + " points");
  }

  private static void post(HttpClient http, String url, byte[] body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
    }
  }

  static void roundtrip(String url, String db, Path dir, String newDb) throws IOException {
    long t0 = System.nanoTime();
    SourceHarness h = SourceHarness.run(InfluxSource.v1(url).database(db).build(), dir);
    long t1 = System.nanoTime();
    long points = h.verifications().values().stream().filter(v -> "measurement".equals(v.attributes().get("kind")))
        .mapToLong(Verification::count).sum();
    long bytes;
    try (Stream<Path> files = Files.walk(dir)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf("cairn export: %.1f s, %d points, %d bytes of line protocol%n", (t1 - t0) / 1e9, points, bytes);
    RestoreResult r = h.restore(InfluxRestorer.v1(url).target(newDb).build());
    long t2 = System.nanoTime();
    System.out.printf("cairn restore (write + verify): %.1f s, verified=%s, %d results%n", (t2 - t1) / 1e9,
        r.verified(), r.results().size());
  }
}
