package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.Verification;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A snapshot after 'repair snapshots' left out one lost file of a MySQL source (shop.orders' schema.sql):
 * the restore goes on with the rest (and reports that table MISSING against what was recorded) instead
 * of refusing the whole source before it even connects.
 */
class RepairedSnapshotRestoreTest {
  @Test
  void aLostSchemaFileDoesNotRefuseTheWholeRestore() {
    List<EntryMetadata> entries = List.of(
        EntryMetadata.stream("other/database.sql"),
        EntryMetadata.stream("other/tables/t/load.sql"),
        EntryMetadata.stream("other/tables/t/schema.sql"),
        EntryMetadata.stream("shop/database.sql"),
        EntryMetadata.stream("shop/tables/orders/00000.tsv"), // its schema.sql was in a lost pack
        EntryMetadata.stream("shop/tables/orders/load.sql"));
    RestoreInput input = new RestoreInput() {
      public String snapshotId() { return "00"; }
      public Instant snapshotTime() { return Instant.EPOCH; }
      public String sourceName() { return "db"; }
      public String sourceType() { return "mysql"; }
      public Map<String, String> metadata() { return Map.of(); }
      public List<EntryMetadata> entries() { return entries; }
      public String symlinkTarget(String path) { return null; }
      public InputStream open(String path) { return new ByteArrayInputStream(new byte[0]); }
      public List<Verification> verifications() {
        return List.of(new Verification("shop.orders", 3, "x", Map.of("database", "shop", "table", "orders")),
            new Verification("other.t", 0, "x", Map.of("database", "other", "table", "t")));
      }
    };
    MySqlRestorer r = MySqlRestorer.builder().url("jdbc:mysql://127.0.0.1:1/").user("u").build();
    Throwable t = catchThrowable(() -> r.restore(input));
    // no server listens there: failing to connect shows the restore got past planning
    assertThat(t).isNotNull().hasMessageContaining("127.0.0.1:1");
    assertThat(t.getMessage()).doesNotContain("no schema.sql");
  }
}
