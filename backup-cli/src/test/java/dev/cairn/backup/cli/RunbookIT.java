package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.influx.SharedInfluxd;
import dev.cairn.backup.mysql.SharedMariaDb;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook (docs/runbook.md), performed end to end with the real commands: a plan backs up a MariaDB
 * with data, an InfluxDB with data and an Ansible config tree into a local repository and copies the
 * snapshot off site (an S3 bucket on s3proxy); then all three are wiped, the local repository too, and
 * everything is restored from the off-site copy alone. The restore's verification passes and the data
 * equals the original; the measured restore time is printed.
 */
class RunbookIT {
  @RegisterExtension static final SharedInfluxd INFLUX = new SharedInfluxd();
  private static final String ACCESS_KEY = "runbook";
  private static final String SECRET_KEY = "runbook-secret";

  @TempDir Path dir;

  @Test
  void restoresEverythingFromTheOffSiteCopyAlone() throws Exception {
    BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).ignoreUnknownHeaders(true).build();
    s3.start();
    Map<String, String> savedProperties = new LinkedHashMap<>();
    try (SharedMariaDb mysql = SharedMariaDb.start()) {
      for (long deadline = System.nanoTime() + 10_000_000_000L; !"STARTED".equals(s3.getState()); Thread.sleep(10)) {
        assertThat(System.nanoTime()).as("s3proxy did not start: " + s3.getState()).isLessThan(deadline);
      }
      blobs.getBlobStore().createContainerInLocation(null, "offsite");
      // the S3 storage takes credentials from the AWS SDK's default chain; system properties are part of it
      for (String[] p : new String[][] {{"aws.accessKeyId", ACCESS_KEY}, {"aws.secretAccessKey", SECRET_KEY}}) {
        savedProperties.put(p[0], System.getProperty(p[0]));
        System.setProperty(p[0], p[1]);
      }
      String offsite = "s3://offsite/infra?endpoint=http://127.0.0.1:" + s3.getPort() + "&region=us-east-1&path-style=true";
      runbook(mysql, offsite);
    } finally {
      savedProperties.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
      s3.stop();
      blobs.close();
    }
  }

  private void runbook(SharedMariaDb mysql, String offsite) throws Exception {
    // --- the data the team could never recreate
    mysql.execute("CREATE DATABASE app CHARACTER SET utf8mb4",
        "CREATE TABLE app.counter (id INT PRIMARY KEY, value BIGINT NOT NULL)",
        "CREATE TABLE app.log (id BIGINT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6), message TEXT, payload BLOB)",
        "INSERT INTO app.counter VALUES (1, 0)");
    try (Connection c = mysql.connect(); Statement st = c.createStatement()) {
      for (int i = 1; i <= 2000; i++) {
        st.addBatch("INSERT INTO app.log (at, message, payload) VALUES ('2026-11-27 12:00:00.123456' + INTERVAL " + i
            + " SECOND, 'event " + i + " ünïcødé, \"quoted\"\\ttab', UNHEX(SHA2('" + i + "', 256)))");
        if (i % 500 == 0) {
          st.addBatch("UPDATE app.counter SET value = " + i + " WHERE id = 1");
          st.executeBatch();
        }
      }
    }
    INFLUX.execute("CREATE DATABASE telegraf");
    StringBuilder points = new StringBuilder();
    long t0 = 1_764_201_600_000_000_000L;
    for (int i = 0; i < 3000; i++) {
      points.append("cpu,host=web-").append(i % 5).append(" usage_idle=").append(90 + (i % 10) * 0.25)
          .append(",procs=").append(100 + i % 7).append("i ").append(t0 + i * 60_000_000_000L).append('\n');
    }
    INFLUX.write("telegraf", points.toString());
    Path ansible = dir.resolve("etc/ansible");
    Files.createDirectories(ansible.resolve("group_vars"));
    Files.writeString(ansible.resolve("infra.yaml"), "- hosts: all\n  roles: [web, db]\n");
    Files.writeString(ansible.resolve("group_vars/all.yaml"), "ntp_server: ntp.example\nadmins: [alice, bob]\n");
    for (String role : List.of("web", "db")) {
      Files.createDirectories(ansible.resolve("roles/" + role + "/tasks"));
      Files.writeString(ansible.resolve("roles/" + role + "/tasks/main.yaml"), "- name: " + role + "\n  debug: {msg: hi}\n");
    }
    Files.writeString(dir.resolve("passphrase"), "runbook passphrase\n");
    Files.writeString(dir.resolve("mysql-password"), SharedMariaDb.PASSWORD + "\n");
    Path plan = dir.resolve("infra.yaml");
    Files.writeString(plan, """
        name: infra
        sources:
          - name: mysql
            type: mysql
            url: %s
            user: %s
            password: {file: mysql-password}
          - name: influx
            type: influx
            url: %s
            databases: [telegraf]
          - name: ansible
            type: files
            root: etc/ansible
            include: [infra.yaml, group_vars/all.yaml, "roles/*/tasks/main.yaml"]
        encryption:
          passphrase: {file: passphrase}
        targets:
          - name: local
            primary: true
            storage: repo-local
            schedule: daily
            retention: {keep-daily: 7, keep-weekly: 4}
          - name: offsite
            storage: %s
            schedule: monthly
            retention: {keep-monthly: 12}
        checks:
          - yaml: [etc/ansible/group_vars/all.yaml]
          - reachable: mysql
          - reachable: influx
        objectives:
          rpo: 24h
          rto: 12h
          enforce: warn   # this drill plan has two copies, not three
        """.formatted(mysql.url(), SharedMariaDb.USER, INFLUX.url(), offsite));

    // --- the nightly run
    Cli cli = new Cli();
    Cli.Result valid = cli.run("plan", "validate", plan.toString());
    assertThat(valid.exitCode()).as(valid.err()).isZero();
    Cli.Result run = cli.run("plan", "run", "--init", plan.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("copied to offsite");

    Map<String, List<String>> mysqlBefore = mysqlData(mysql);
    String influxBefore = INFLUX.query("telegraf", "SELECT * FROM cpu");
    Map<String, String> filesBefore = files(ansible);
    assertThat(mysqlBefore.get("app.log")).hasSize(2000);
    assertThat(filesBefore).hasSize(4);

    // --- disaster: the databases, the configuration and the on-site repository are gone
    mysql.execute("DROP DATABASE app");
    INFLUX.execute("DROP DATABASE telegraf");
    deleteTree(ansible);
    deleteTree(dir.resolve("repo-local"));

    // --- the runbook's restore, from the off-site copy only
    Cli restoreCli = new Cli().env("CAIRN_REPOSITORY", offsite).env("CAIRN_PASSWORD_FILE", dir.resolve("passphrase").toString())
        .env("CAIRN_MYSQL_PASSWORD", SharedMariaDb.PASSWORD);
    long started = System.nanoTime();
    Cli.Result snapshots = restoreCli.run("snapshots");
    assertThat(snapshots.exitCode()).as(snapshots.err()).isZero();
    Cli.Result restore = restoreCli.run("restore", "latest", "--mysql", mysql.url() + "?user=" + SharedMariaDb.USER,
        "--influx", INFLUX.url(), "--target", ansible.toString());
    long restoreMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(restore.exitCode()).as(restore.out() + restore.err()).isZero();
    assertThat(restore.out()).contains("app.counter").contains("app.log").contains("cpu")
        .doesNotContain("MISMATCH").doesNotContain("MISSING");
    assertThat(restore.outLines()).anySatisfy(l -> assertThat(l).matches("verification: (\\d+) of \\1 checks match.*"));
    Cli.Result verify = restoreCli.run("verify", "--read-data");
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

    assertThat(mysqlData(mysql)).isEqualTo(mysqlBefore);
    assertThat(INFLUX.query("telegraf", "SELECT * FROM cpu")).isEqualTo(influxBefore);
    assertThat(files(ansible)).isEqualTo(filesBefore);
    System.out.println("RunbookIT: restore of MariaDB (2 tables, 2,001 rows), InfluxDB (3,000 points) and 4 config"
        + " files from the off-site S3 copy took " + restoreMillis + " ms (incl. listing snapshots); report:\n" + restore.out());
  }

  private static Map<String, List<String>> mysqlData(SharedMariaDb mysql) throws Exception {
    Map<String, List<String>> data = new LinkedHashMap<>();
    try (Connection c = mysql.connect(); Statement st = c.createStatement()) {
      for (String table : List.of("app.counter", "app.log")) {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT *, HEX(" + (table.equals("app.log") ? "payload" : "value")
            + ") FROM " + table + " ORDER BY id")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= n; i++) {
              b.append(rs.getString(i)).append('|');
            }
            rows.add(b.toString());
          }
        }
        data.put(table, rows);
      }
    }
    return data;
  }

  private static Map<String, String> files(Path root) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        files.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
