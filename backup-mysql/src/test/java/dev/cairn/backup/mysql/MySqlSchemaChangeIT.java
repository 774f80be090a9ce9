package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Secret;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table created between choosing the tables and taking the consistent snapshot (a migration running
 * at backup time): its DDL lies before the recorded binlog position, so a dump without it could not be
 * made whole by point-in-time recovery either. The backup takes its snapshot again and dumps it.
 */
class MySqlSchemaChangeIT {
  private static EmbeddedMariaDb db;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    db.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY)", "INSERT INTO shop.orders VALUES (1)");
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private MySqlSource.Builder source() {
    return MySqlSource.builder().url(db.url()).user(EmbeddedMariaDb.USER).password(Secret.of(EmbeddedMariaDb.PASSWORD))
        .includeDatabases("shop").threads(2);
  }

  @Test
  void aTableCreatedWhileTheBackupStartsIsDumped() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MySqlSource mysql = source().afterSelect(() -> {
      if (calls.incrementAndGet() == 1) {
        db.execute("CREATE TABLE shop.invoices (id INT PRIMARY KEY)", "INSERT INTO shop.invoices VALUES (7), (8)");
      }
    }).build();
    SourceHarness backup = SourceHarness.run(mysql, dir.resolve("a"));
    assertThat(calls.get()).as("the snapshot was taken again").isEqualTo(2);
    assertThat(backup.verifications()).containsKeys("shop.orders", "shop.invoices");
    assertThat(backup.verifications().get("shop.invoices").count()).isEqualTo(2);
  }

  @Test
  void aSchemaChangeThatNeverSettlesFailsTheBackupNamingIt() {
    AtomicInteger n = new AtomicInteger();
    MySqlSource mysql = source().afterSelect(() -> db.execute("CREATE TABLE shop.t" + n.incrementAndGet() + " (id INT)"))
        .build();
    assertThatThrownBy(() -> SourceHarness.run(mysql, dir.resolve("b"))).isInstanceOf(SourceException.class)
        .hasMessageContaining("created, dropped or renamed").hasMessageContaining("three times");
  }
}
