package dev.cairn.backup.influx;

import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A public face of backup-influx's {@code InfluxServer} test extension (from its test jar) for the
 * command-line tests in other packages: a real {@code influxd} 1.x (scripts/influxd-test.sh) on free
 * loopback ports, without authentication, started before the test class and stopped after it.
 */
public final class SharedInfluxd implements BeforeAllCallback, AfterAllCallback {
  private final InfluxServer server = InfluxServer.plain();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    server.afterAll(context);
  }

  /** The server's HTTP URL. */
  public String url() {
    return server.url();
  }

  /** Runs an InfluxQL statement; fails on an error in the answer. */
  public String execute(String q) throws IOException, InterruptedException {
    return server.execute(q);
  }

  /** Runs a query against {@code db} and returns the JSON answer (epoch=ns). */
  public String query(String db, String q) throws IOException, InterruptedException {
    return server.query(db, q);
  }

  /** Writes line protocol with nanosecond timestamps into {@code db} (default retention policy). */
  public void write(String db, String lines) throws IOException, InterruptedException {
    server.write(db, null, lines);
  }
}
