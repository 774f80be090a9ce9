package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer commits "counter + 1 and a log row" transactions while the backup runs: the restored counter
 * and log must be in step, and be exactly the state after the transaction the recorded GTID names.
 */
class MySqlConsistencyIT {
  private static EmbeddedMariaDb db;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    db.execute("CREATE DATABASE shop",
        "CREATE TABLE shop.counter (id INT PRIMARY KEY, n BIGINT NOT NULL)",
        "INSERT INTO shop.counter VALUES (1, 0)",
        "CREATE TABLE shop.log (id INT AUTO_INCREMENT PRIMARY KEY, n BIGINT NOT NULL, pad CHAR(100) NOT NULL)",
        "USE shop",
        "INSERT INTO shop.log (n, pad) SELECT 0, CONCAT('seed ', seq) FROM seq_1_to_60000",
        "ANALYZE TABLE shop.log");
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void writesDuringTheBackupStayInStepAndMatchTheRecordedGtid() throws Exception {
    Map<Long, Long> counterByGtidSeq = new ConcurrentHashMap<>();
    AtomicLong commits = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try (Connection c = db.connect(); Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          st.executeUpdate("UPDATE shop.counter SET n = n + 1 WHERE id = 1");
          long n;
          try (ResultSet rs = st.executeQuery("SELECT n FROM shop.counter WHERE id = 1")) {
            rs.next();
            n = rs.getLong(1);
          }
          st.executeUpdate("INSERT INTO shop.log (n, pad) VALUES (" + n + ", 'w')");
          c.commit();
          try (ResultSet rs = st.executeQuery("SELECT @@last_gtid")) {
            rs.next();
            String gtid = rs.getString(1);
            counterByGtidSeq.put(Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1)), n);
          }
          commits.incrementAndGet();
        }
      } catch (Throwable t) {
        writerError.set(t);
      }
    }, "writer");
    writer.start();
    SourceHarness backup;
    try {
      waitFor(commits, 30);
      backup = SourceHarness.run(MySqlSource.builder().url(db.url()).user(EmbeddedMariaDb.USER)
          .password(Secret.of(EmbeddedMariaDb.PASSWORD)).includeDatabases("shop").threads(3).rowsPerChunk(5_000)
          .build(), dir.resolve("backup"));
      waitFor(commits, commits.get() + 30);
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(writerError.get()).isNull();

    RestoreResult result = backup.restore(MySqlRestorer.builder().url(db.url()).user(EmbeddedMariaDb.USER)
        .password(Secret.of(EmbeddedMariaDb.PASSWORD)).renameDatabase("shop", "shop_restored").build());
    assertThat(result.verified()).as("%s", result.results()).isTrue();

    long counter = single("SELECT n FROM shop_restored.counter WHERE id = 1");
    assertThat(counter).isPositive().isLessThan(single("SELECT n FROM shop.counter WHERE id = 1"));
    assertThat(single("SELECT COUNT(*) FROM shop_restored.log WHERE n > 0")).isEqualTo(counter);
    assertThat(single("SELECT MAX(n) FROM shop_restored.log")).isEqualTo(counter);
    assertThat(single("SELECT COUNT(*) FROM shop_restored.log WHERE n = 0")).isEqualTo(60_000);

    String gtid = backup.metadata().get("mysql.gtid.binlog_pos");
    long seq = Long.parseLong(gtid.substring(gtid.lastIndexOf('-') + 1));
    assertThat(counterByGtidSeq).as("the recorded GTID %s is a writer transaction", gtid).containsKey(seq);
    assertThat(counterByGtidSeq.get(seq)).isEqualTo(counter);
    assertThat(backup.entries().keySet()).filteredOn(p -> p.startsWith("shop/tables/log/")).hasSizeGreaterThan(5);
  }

  private static void waitFor(AtomicLong commits, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (commits.get() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(commits.get()).as("writer commits").isGreaterThanOrEqualTo(atLeast);
  }

  private static long single(String sql) throws SQLException {
    try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
