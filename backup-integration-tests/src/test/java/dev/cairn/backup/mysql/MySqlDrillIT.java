package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.DrillReport;
import dev.cairn.backup.DrillReports;
import dev.cairn.backup.plan.PlanFile;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML plan's restore drill of a MySQL source against a real (embedded) MariaDB: the newest snapshot
 * is restored into scratch databases on the same server through the {@code mysql} type's
 * {@link MySqlSourceFactory}, verified against the recorded checksums, and the scratch databases are
 * dropped; the live database is untouched. In this package to reuse backup-mysql's {@link EmbeddedMariaDb}
 * (test-jar).
 */
class MySqlDrillIT {
  private static EmbeddedMariaDb db;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    db.execute("CREATE DATABASE app", "CREATE TABLE app.users (id INT PRIMARY KEY, name VARCHAR(40), score DOUBLE)",
        "INSERT INTO app.users VALUES (1, 'ada', 1.5), (2, 'grace', NULL), (3, 'linus', -7)",
        "CREATE TABLE app.orders (id BIGINT PRIMARY KEY, user_id INT, note TEXT)",
        "INSERT INTO app.orders VALUES (10, 1, 'first'), (11, 3, 'tab\\there')");
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private static List<String> databases() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW DATABASES")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void drillRestoresIntoScratchDatabasesVerifiesAndDropsThem() throws Exception {
    Files.writeString(dir.resolve("passphrase"), "drill passphrase\n");
    Files.writeString(dir.resolve("mysql-password"), EmbeddedMariaDb.PASSWORD + "\n");
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, """
        name: db
        sources:
          - name: mysql
            type: mysql
            url: %s
            user: %s
            password: {file: mysql-password}
            databases: [app]
        encryption:
          passphrase: {file: passphrase}
        targets:
          - {name: local, storage: repo}
        objectives: {rto: 12h, enforce: warn}
        drill: {scratch: scratch, reports: drills}
        """.formatted(db.url(), EmbeddedMariaDb.USER));
    PlanFile planFile = PlanFile.read(file);
    assertThat(planFile.sources().get(0).factory()).isInstanceOf(MySqlSourceFactory.class);
    BackupPlan plan = planFile.toPlanBuilder().createRepository(true).build();
    plan.backup();

    DrillReport drill = plan.drill();
    assertThat(drill.passed()).as(() -> DrillReports.toText(drill)).isTrue();
    DrillReport.SourceResult mysql = drill.sources().get(0);
    assertThat(mysql.destination()).contains("127.0.0.1").contains("_cairn_drill_");
    // one verification per table, each against the row count and checksum recorded at backup time
    assertThat(mysql.results()).hasSizeGreaterThanOrEqualTo(2).allMatch(r -> r.ok());
    assertThat(DrillReports.toText(drill)).contains("app").contains("users");
    // the scratch database is gone, the live one untouched
    assertThat(databases()).contains("app").noneMatch(d -> d.contains("_cairn_drill_"));
    assertThat(DrillReports.readAll(dir.resolve("drills"))).hasSize(1);
    assertThat(plan.health().target("local").orElseThrow().lastDrill()).isNotNull();
  }
}
