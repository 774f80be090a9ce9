package dev.cairn.backup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.plan.fakes.FakeInfluxSource;
import dev.cairn.backup.plan.fakes.FakeMySqlSource;
import dev.cairn.backup.spi.SourceFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reflective mysql/influx factories, against classes with the modules' builder shapes. */
class ReflectiveSourceFactoryTest {
  @TempDir Path dir;

  private static final List<SourceFactory> FAKES = List.of(
      new ReflectiveSourceFactory("mysql", FakeMySqlSource.class),
      new ReflectiveSourceFactory("influx", FakeInfluxSource.class));

  private PlanFile read(String sources) {
    String yaml = "name: infra\nsources:\n" + sources
        + "encryption: {passphrase: {env: CAIRN_PASSWORD}}\ntargets:\n  - {name: local, storage: repo}\n";
    return PlanFile.read(dir.resolve("plan.yaml"), new StringReader(yaml), FAKES);
  }

  @Test
  void buildsSourcesThroughTheModulesBuilders() throws Exception {
    Files.writeString(dir.resolve("mysql.pass"), "s3cret\n");
    PlanFile plan = read("""
          - name: db
            type: mysql
            url: jdbc:mysql://127.0.0.1:3306/
            user: backup
            password: {file: mysql.pass}
            databases: [app, billing]
            exclude-tables: [app.sessions]
            threads: 4
            lock-wait-timeout: 30s
          - name: metrics
            type: influx
            url: http://127.0.0.1:8086
            databases: telegraf
            window: 1d
          - name: metrics2
            type: influx
            version: 2
            url: http://127.0.0.1:8087
            token: {file: mysql.pass}
            buckets: [telegraf]
        """);
    FakeMySqlSource db = (FakeMySqlSource) plan.sources().get(0).source();
    assertThat(db.name).isEqualTo("db");
    assertThat(db.url).isEqualTo("jdbc:mysql://127.0.0.1:3306/");
    assertThat(db.user).isEqualTo("backup");
    assertThat(db.password.reveal()).isEqualTo("s3cret");
    assertThat(db.databases).containsExactly("app", "billing");
    assertThat(db.excludeTables).containsExactly("app.sessions");
    assertThat(db.threads).isEqualTo(4);
    assertThat(db.lockWait).isEqualTo(Duration.ofSeconds(30));
    FakeInfluxSource v1 = (FakeInfluxSource) plan.sources().get(1).source();
    assertThat(v1.name).isEqualTo("metrics");
    assertThat(v1.version).isEqualTo(1);
    assertThat(v1.databases).containsExactly("telegraf");
    assertThat(v1.window).isEqualTo(Duration.ofDays(1));
    FakeInfluxSource v2 = (FakeInfluxSource) plan.sources().get(2).source();
    assertThat(v2.version).isEqualTo(2);
    assertThat(v2.token.reveal()).isEqualTo("s3cret");
    assertThat(v2.databases).containsExactly("telegraf");
  }

  @Test
  void errorsFromTheBuilderNameTheLineOfTheKey() {
    assertThatThrownBy(() -> read("""
          - name: db
            type: mysql
            url: postgres://db
        """)).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 5, column 10: sources[0].url: not a MySQL JDBC URL: postgres://db");
    assertThatThrownBy(() -> read("""
          - name: db
            type: mysql
            url: jdbc:mysql://db/
            threads: many
        """)).hasMessageContaining("sources[0].threads: expected a whole number, found 'many'");
    assertThatThrownBy(() -> read("""
          - name: m
            type: influx
            url: http://db:8086
            version: 3
        """)).hasMessageContaining("sources[0].version: InfluxDB version is 1 or 2, not '3'");
  }

  @Test
  void onlyOffersTypesWhoseModuleIsPresent() {
    // backup-mysql is not on this module's test class path
    assertThat(ReflectiveSourceFactory.find("mysql", getClass().getClassLoader())).isEmpty();
    assertThat(ReflectiveSourceFactory.find("files", getClass().getClassLoader())).isEmpty();
  }
}
