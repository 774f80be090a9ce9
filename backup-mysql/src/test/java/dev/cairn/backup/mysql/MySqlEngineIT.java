package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.SnapshotSource;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MySqlSource and MySqlRestorer through the real engine: an encrypted local repository, a second
 * backup of unchanged data that stores almost nothing, and a verified restore from the repository.
 */
class MySqlEngineIT {
  private static EmbeddedMariaDb db;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedMariaDb.start();
    db.execute("CREATE DATABASE inv", "USE inv",
        "CREATE TABLE items (id INT PRIMARY KEY, sku CHAR(12) NOT NULL, qty INT NOT NULL, note VARCHAR(80), KEY qty (qty))",
        "INSERT INTO items SELECT seq, CONCAT('sku-', seq), seq % 97, IF(seq % 10 = 0, NULL, REPEAT('n', seq % 50))"
            + " FROM seq_1_to_300000",
        "CREATE TABLE audit (at DATETIME(3) NOT NULL, what VARCHAR(40))",
        "INSERT INTO audit VALUES ('2026-01-01 00:00:00.123', 'created'), ('2026-01-02 00:00:00', NULL)",
        "ANALYZE TABLE items");
  }

  @AfterAll
  static void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void backsUpIntoARepositoryDeduplicatesTheNextDayAndRestoresVerified() throws Exception {
    BackupPlan plan = BackupPlan.builder()
        .name("db")
        .source(MySqlSource.builder().url(db.url()).user(EmbeddedMariaDb.USER)
            .password(Secret.of(EmbeddedMariaDb.PASSWORD)).includeDatabases("inv").rowsPerChunk(50_000).build())
        .target(Target.of("local", Storages.local(dir.resolve("repo"))))
        .encryption(Encryption.passphrase(Secret.of("correct horse")))
        .createRepository(true)
        .build();
    BackupReport first = plan.backup();
    SnapshotSource recorded = first.snapshot().source("mysql").orElseThrow();
    assertThat(recorded.type()).isEqualTo("mysql");
    assertThat(recorded.metadata()).containsKeys("mysql.binlog.file", "mysql.gtid.binlog_pos");
    assertThat(recorded.verifications()).extracting(v -> v.item() + "=" + v.count())
        .containsExactlyInAnyOrder("inv.items=300000", "inv.audit=2");

    BackupReport second = plan.backup();
    assertThat(second.bytesTotal()).isEqualTo(first.bytesTotal());
    assertThat(second.bytesNew()).as("unchanged tables deduplicate").isLessThan(first.bytesTotal() / 20);

    RestoreReport restored = plan.restore(RestoreRequest.builder().snapshot("latest")
        .restorer("mysql", MySqlRestorer.builder().url(db.url()).user(EmbeddedMariaDb.USER)
            .password(Secret.of(EmbeddedMariaDb.PASSWORD)).renameDatabase("inv", "inv_restored").build())
        .build());
    assertThat(restored.verified()).as("%s", restored.results()).isTrue();
    for (String t : new String[] {"items", "audit"}) {
      assertThat(MySqlRoundTripIT.checksumTable(db, "inv_restored." + t))
          .isEqualTo(MySqlRoundTripIT.checksumTable(db, "inv." + t));
    }
    assertThatThrownBy(() -> plan.restore(RestoreRequest.builder().snapshot("latest")
        .restorer("mysql", MySqlRestorer.builder().url(db.url()).user(EmbeddedMariaDb.USER)
            .password(Secret.of(EmbeddedMariaDb.PASSWORD)).renameDatabase("inv", "inv_restored").build())
        .build()))
        .isInstanceOf(BackupException.class).hasMessageContaining("inv_restored");
  }
}
