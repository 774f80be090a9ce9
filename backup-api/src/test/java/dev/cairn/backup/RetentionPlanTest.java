package dev.cairn.backup;

import static dev.cairn.backup.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dry-run table and the --json form of a retention plan. */
class RetentionPlanTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static List<Snapshot> table() {
    return List.of(
        snapshot(Instant.parse("2026-11-26T02:00:00Z"), "db1", "infra", List.of("files", "mysql")),
        snapshot(Instant.parse("2026-11-27T02:00:00Z"), "db1", "infra", List.of("files", "mysql"), "prod"),
        snapshot(Instant.parse("2026-11-27T14:00:00Z"), "db1", "infra", List.of("files", "mysql")),
        snapshot(Instant.parse("2026-11-28T02:00:00Z"), "db1", "infra", List.of("files", "mysql")));
  }

  @Test
  void rendersTheDryRunTableWithReasons() {
    List<Snapshot> s = table();
    RetentionPlan plan = Retention.policy().keepDaily(2).keepTag("prod").zone(BERLIN)
        .apply(s, Instant.parse("2026-11-28T12:00:00Z"));
    String id0 = s.get(0).id().shortHex();
    String id1 = s.get(1).id().shortHex();
    String id2 = s.get(2).id().shortHex();
    String id3 = s.get(3).id().shortHex();
    assertThat(plan.render()).isEqualTo(String.join("\n",
        "Applying policy: keep 2 daily snapshots, all snapshots tagged prod; grouped by host, plan, source; periods in Europe/Berlin",
        "",
        "snapshots of host db1, plan infra, sources [files, mysql]:",
        "keep 3 snapshots:",
        "ID        Time                        Host  Tags  Sources      Reasons",
        "--------  --------------------------  ----  ----  -----------  ------------",
        id1 + "  2026-11-27 03:00:00 +01:00  db1   prod  files,mysql  tag prod",
        id2 + "  2026-11-27 15:00:00 +01:00  db1         files,mysql  daily 2 of 2",
        id3 + "  2026-11-28 03:00:00 +01:00  db1         files,mysql  daily 1 of 2",
        "remove 1 snapshot:",
        "ID        Time                        Host  Tags  Sources",
        "--------  --------------------------  ----  ----  -----------",
        id0 + "  2026-11-26 03:00:00 +01:00  db1         files,mysql",
        "",
        "3 snapshots kept, 1 snapshot to remove",
        ""));
  }

  @Test
  void serializesToJsonFriendlyRecords() throws Exception {
    List<Snapshot> s = table();
    RetentionPlan plan = Retention.policy().keepLast(1).zone(BERLIN).groupBy(Retention.GroupBy.HOST)
        .apply(s, Instant.parse("2026-11-28T12:00:00Z"));
    JsonNode json = new ObjectMapper().valueToTree(plan.toJson());

    assertThat(json.size()).isEqualTo(1);
    JsonNode group = json.get(0);
    assertThat(group.get("group").get("host").asText()).isEqualTo("db1");
    assertThat(group.get("group").get("plan").isNull()).isTrue();
    assertThat(group.get("keep")).hasSize(1);
    JsonNode kept = group.get("keep").get(0);
    assertThat(kept.get("id").asText()).isEqualTo(s.get(3).id().hex());
    assertThat(kept.get("shortId").asText()).isEqualTo(s.get(3).id().shortHex());
    assertThat(kept.get("time").asText()).isEqualTo("2026-11-28T03:00:00+01:00");
    assertThat(kept.get("sources").toString()).isEqualTo("[\"files\",\"mysql\"]");
    assertThat(kept.get("reasons").toString()).isEqualTo("[\"last 1 of 1\"]");
    assertThat(group.get("remove")).hasSize(3);
    assertThat(group.get("remove").get(1).get("tags").toString()).isEqualTo("[\"prod\"]");
    assertThat(group.get("remove").get(1).get("reasons")).isEmpty();
  }
}
