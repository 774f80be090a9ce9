package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.influx.SharedInfluxd;
import dev.cairn.backup.mysql.SharedMariaDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn backup/restore --mysql} and {@code --influx}, run in-process against an embedded MariaDB
 * and a real influxd (one of each for the class): the restored data equals the original, and the printed
 * report names every table and measurement window with its result.
 */
class DatabaseCommandsIT {
  @RegisterExtension static final SharedInfluxd INFLUX = new SharedInfluxd();
  static SharedMariaDb mysql;

  @TempDir Path dir;

  @BeforeAll
  static void startMariaDb() throws Exception {
    mysql = SharedMariaDb.start();
  }

  @AfterAll
  static void stopMariaDb() throws Exception {
    if (mysql != null) {
      mysql.close();
    }
  }

  private Cli cli() {
    return new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pw");
  }

  @Test
  void backsUpAndRestoresMySqlWithCredentialsFromAnOptionFile() throws Exception {
    mysql.execute("CREATE DATABASE shop CHARACTER SET utf8mb4",
        "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(100), note TEXT NULL, balance DECIMAL(12,2))",
        "INSERT INTO shop.customers VALUES (1, 'Zoë Ünal', NULL, 10.50), (2, 'tab\\there, \"quoted\"', 'line\\nbreak', -3.25),"
            + " (3, '日本語', '', 0.00)",
        "CREATE TABLE shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer INT, total DOUBLE)",
        "INSERT INTO shop.orders (customer, total) VALUES (1, 1.5), (2, 2.25), (3, 1e10)",
        "CREATE EVENT shop.tidy ON SCHEDULE EVERY 1 HOUR ENABLE DO DELETE FROM shop.orders WHERE total < 0",
        "CREATE DATABASE scratch", "CREATE TABLE scratch.t (id INT PRIMARY KEY)");
    Path defaults = dir.resolve("my.cnf");
    Files.writeString(defaults, "[mysqld]\nuser=wrong\n\n[client]\nuser = " + SharedMariaDb.USER
        + "\npassword = \"" + SharedMariaDb.PASSWORD + "\"\n");
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();

    Cli.Result backup = cli.run("backup", "--mysql", mysql.url(), "--mysql-defaults-file", defaults.toString(),
        "--mysql-exclude", "scratch");
    assertThat(backup.exitCode()).as(backup.err()).isZero();
    assertThat(backup.out()).contains("snapshot");

    Cli.Result restore = cli.run("restore", "latest", "--mysql", mysql.url(), "--mysql-defaults-file",
        defaults.toString(), "--database", "shop:shop_restored");
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restore.outLines()).anySatisfy(l -> assertThat(l).contains("OK").contains("shop.customers"))
        .anySatisfy(l -> assertThat(l).contains("OK").contains("shop.orders"))
        .anySatisfy(l -> assertThat(l).startsWith("verification: 2 of 2 checks match"));
    assertThat(rows("shop_restored.customers")).isEqualTo(rows("shop.customers")).hasSize(3);
    assertThat(rows("shop_restored.orders")).isEqualTo(rows("shop.orders")).hasSize(3);
    assertThat(cli.run("ls", "latest").out()).contains("shop").doesNotContain("scratch");
    // a renamed restore is a copy beside the original: its events are created disabled, the original's stay
    assertThat(status("shop_restored")).isEqualTo("DISABLED");
    assertThat(status("shop")).isEqualTo("ENABLED");

    // a second restore into the now non-empty database is refused, and changes nothing
    mysql.execute("INSERT INTO shop_restored.orders (customer, total) VALUES (9, 9)");
    Cli.Result refused = cli.run("restore", "latest", "--mysql", mysql.url(), "--mysql-defaults-file",
        defaults.toString(), "--database", "shop:shop_restored");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("shop_restored");
    assertThat(rows("shop_restored.orders")).hasSize(4);

    // with the user in the URL and the password from CAIRN_MYSQL_PASSWORD, and --json
    Cli.Result json = cli.env("CAIRN_MYSQL_PASSWORD", SharedMariaDb.PASSWORD).run("restore", "latest", "--json",
        "--mysql", mysql.url() + "?user=" + SharedMariaDb.USER, "--database", "shop:shop_again");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"message_type\":\"summary\"").contains("\"verified\":true")
        .contains("\"failed\":0");
    assertThat(rows("shop_again.customers")).isEqualTo(rows("shop.customers"));
  }

  @Test
  void wrongMySqlPasswordFailsWithoutSnapshot() {
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();
    Cli.Result r = cli.env("CAIRN_MYSQL_PASSWORD", "not-the-password")
        .run("backup", "--mysql", mysql.url() + "?user=" + SharedMariaDb.USER);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains(SharedMariaDb.USER);
    assertThat(cli.run("snapshots", "--json").out()).doesNotContain("\"id\"");
  }

  @Test
  void backsUpAndRestoresInfluxDb() throws Exception {
    INFLUX.execute("CREATE DATABASE metrics");
    StringBuilder lines = new StringBuilder();
    long base = 1_764_000_000_000_000_000L;
    for (int i = 0; i < 500; i++) {
      lines.append("cpu,host=web-").append(i % 3).append(",dc=eu\\ west usage=").append(i * 0.5)
          .append(",count=").append(i).append("i,ok=").append(i % 2 == 0).append(",note=\"n ").append(i)
          .append("\" ").append(base + i * 3_600_000_000_000L).append('\n');
    }
    lines.append("mem free=12345i ").append(base).append('\n');
    INFLUX.write("metrics", lines.toString());
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();

    Cli.Result backup = cli.run("backup", "--influx", INFLUX.url(), "--influx-db", "metrics");
    assertThat(backup.exitCode()).as(backup.err()).isZero();

    Cli.Result restore = cli.run("restore", "latest", "--influx", INFLUX.url(), "--influx-db", "metrics_restored");
    assertThat(restore.exitCode()).as(restore.err()).isZero();
    assertThat(restore.outLines()).anySatisfy(l -> assertThat(l).contains("OK").contains("cpu"))
        .anySatisfy(l -> assertThat(l).contains("OK").contains("mem"))
        .anySatisfy(l -> assertThat(l).matches("verification: (\\d+) of \\1 checks match.*"));
    String cpu = INFLUX.query("metrics", "SELECT * FROM cpu");
    assertThat(cpu).contains("web-2").contains("n 499");
    assertThat(INFLUX.query("metrics_restored", "SELECT * FROM cpu")).isEqualTo(cpu);
    assertThat(INFLUX.query("metrics_restored", "SELECT * FROM mem")).isEqualTo(INFLUX.query("metrics", "SELECT * FROM mem"));

    Cli.Result refused = cli.run("restore", "latest", "--influx", INFLUX.url(), "--influx-db", "metrics_restored");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("metrics_restored");
  }

  @Test
  void restoreOfASnapshotWithoutThatDatabaseSaysWhatItHas() throws Exception {
    Cli cli = cli();
    assertThat(cli.run("init").exitCode()).isZero();
    Files.writeString(dir.resolve("a.txt"), "a");
    assertThat(cli.run("backup", dir.resolve("a.txt").toString()).exitCode()).isZero();
    Cli.Result r = cli.run("restore", "latest", "--mysql", mysql.url());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no mysql source").contains("files");
  }

  private static List<String> rows(String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = mysql.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(rs.getString(i)).append('|');
        }
        rows.add(b.toString());
      }
    }
    return rows;
  }

  private String status(String schema) throws Exception {
    try (java.sql.Connection c = mysql.connect(); java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '"
            + schema + "' AND EVENT_NAME = 'tidy'")) {
      return rs.next() ? rs.getString(1) : "none";
    }
  }
}
