package dev.cairn.backup.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Clear errors and no backup for wrong credentials, an unreachable server and a missing database. */
class Influx1FailuresIT {
  @RegisterExtension
  static InfluxServer influx = InfluxServer.withAuth();

  @Test
  void wrongPasswordFailsTheBackupNamingTheCredentials(@TempDir Path dir) {
    InfluxSource source = InfluxSource.v1(influx.url()).username(InfluxServer.ADMIN).password(Secret.of("wrong")).build();

    assertThatThrownBy(() -> SourceHarness.run(source, dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining(influx.url())
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("username and password")
        .hasMessageNotContaining("wrong");
    assertThatThrownBy(source::check).isInstanceOf(SourceException.class);
  }

  @Test
  void noCredentialsOnAServerWithAuthFails(@TempDir Path dir) {
    assertThatThrownBy(() -> SourceHarness.run(InfluxSource.v1(influx.url()).build(), dir))
        .isInstanceOf(SourceException.class).hasMessageContaining("refused the credentials");
  }

  @Test
  void rightCredentialsBackUpAndRestore(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE secured");
    influx.write("secured", null, "m,t=a v=1i 1000\nm,t=b v=2i 2000");
    Secret pw = Secret.of(InfluxServer.ADMIN_PASSWORD);
    SourceHarness h = SourceHarness.run(
        InfluxSource.v1(influx.url()).username(InfluxServer.ADMIN).password(pw).database("secured").build(), dir);

    RestoreResult r = h.restore(InfluxRestorer.v1(influx.url()).username(InfluxServer.ADMIN).password(pw)
        .target("secured_copy").build());

    assertThat(r.verified()).isTrue();
    assertThat(r.destination()).doesNotContain(InfluxServer.ADMIN_PASSWORD);
    assertThat(influx.query("secured_copy", "SELECT * FROM m")).isEqualTo(influx.query("secured", "SELECT * FROM m"));
    assertThatThrownBy(() -> h.restore(InfluxRestorer.v1(influx.url()).username(InfluxServer.ADMIN)
        .password(Secret.of("nope")).target("other").build()))
        .isInstanceOf(RestoreException.class).hasMessageContaining("refused the credentials");
  }

  @Test
  void readOnlyUserBacksUpDataAndContinuousQueries(@TempDir Path dir) throws Exception {
    influx.execute("CREATE DATABASE readable");
    influx.execute("CREATE CONTINUOUS QUERY cq_r ON readable BEGIN SELECT mean(v) INTO readable.autogen.x "
        + "FROM readable.autogen.m GROUP BY time(1h) END");
    influx.write("readable", null, "m v=1i 1000");
    influx.execute("CREATE USER reader WITH PASSWORD 'r'");
    influx.execute("GRANT READ ON readable TO reader");

    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).username("reader").password(Secret.of("r"))
        .database("readable").build(), dir);

    assertThat(h.verifications().get("readable/autogen/m").count()).isEqualTo(1);
    assertThat(h.warnings()).isEmpty();
    assertThat(java.nio.file.Files.readString(h.file("readable/.database.json"))).contains("cq_r");
  }

  @Test
  void missingDatabaseFailsTheBackupNamingIt(@TempDir Path dir) {
    InfluxSource source = InfluxSource.v1(influx.url()).username(InfluxServer.ADMIN)
        .password(Secret.of(InfluxServer.ADMIN_PASSWORD)).database("nosuchdb").build();

    assertThatThrownBy(() -> SourceHarness.run(source, dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("'nosuchdb' does not exist");
  }

  @Test
  void unreachableServerFailsTheBackup(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;

    assertThatThrownBy(() -> SourceHarness.run(InfluxSource.v1(url).build(), dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("cannot reach InfluxDB at " + url);
    influx.execute("CREATE DATABASE tiny");
    influx.write("tiny", null, "m v=1 1");
    SourceHarness h = SourceHarness.run(InfluxSource.v1(influx.url()).username(InfluxServer.ADMIN)
        .password(Secret.of(InfluxServer.ADMIN_PASSWORD)).database("tiny").build(), dir.resolve("ok"));
    assertThatThrownBy(() -> h.restore(InfluxRestorer.v1(url).build()))
        .isInstanceOf(RestoreException.class)
        .hasMessageContaining("cannot reach InfluxDB at " + url);
  }
}
