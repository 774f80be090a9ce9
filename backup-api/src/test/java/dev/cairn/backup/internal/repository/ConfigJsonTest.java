package dev.cairn.backup.internal.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.compress.Compression;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The chunker's algorithm and normalization level in the config, old and new. */
class ConfigJsonTest {
  private static final String ID = "ab".repeat(32);

  private static String config(String chunker) {
    return "{\"version\":1,\"id\":\"" + ID + "\",\"created\":\"2026-11-28T03:00:00Z\",\"chunker\":" + chunker
        + ",\"compression\":{\"codec\":\"zstd\",\"level\":3}}";
  }

  private static JsonNode chunker(byte[] json) {
    try {
      return new ObjectMapper().readTree(json).path("chunker");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static RepositoryConfig read(String json) {
    return ConfigJson.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void configsWrittenBeforeTheLevelWasRecordedReadAsLevelTwo() {
    RepositoryConfig c = read(config("{\"algorithm\":\"fastcdc-gear-v1\",\"min\":524288,\"avg\":1048576,\"max\":8388608}"));
    assertThat(c.chunker()).isEqualTo(new ChunkerParams(524288, 1048576, 8388608, ChunkerParams.LEGACY_NORMALIZATION));
    // and are written back as they were
    JsonNode written = chunker(ConfigJson.write(c));
    assertThat(written.path("algorithm").asText()).isEqualTo("fastcdc-gear-v1");
    assertThat(written.has("normalization")).isFalse();
  }

  @Test
  void newConfigsRecordLevelOneAndReadBack() {
    RepositoryConfig c = new RepositoryConfig(1, ObjectId.parse(ID), Instant.parse("2026-11-28T03:00:00Z"),
        ChunkerParams.defaults(), Compression.DEFAULT);
    assertThat(c.chunker().normalization()).isEqualTo(1);
    JsonNode written = chunker(ConfigJson.write(c));
    assertThat(written.path("algorithm").asText()).isEqualTo("fastcdc-gear-v2");
    assertThat(written.path("normalization").asInt()).isEqualTo(1);
    assertThat(ConfigJson.read(ConfigJson.write(c))).isEqualTo(c);
  }

  @Test
  void unknownAlgorithmsAndLevelsAreRefusedAskingForAnUpgrade() {
    assertThatThrownBy(() -> read(config("{\"algorithm\":\"fastcdc-gear-v9\",\"min\":524288,\"avg\":1048576,\"max\":8388608}")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("fastcdc-gear-v9")
        .hasMessageContaining("upgrade Cairn");
    assertThatThrownBy(() -> read(config("{\"algorithm\":\"fastcdc-gear-v2\",\"min\":524288,\"avg\":1048576,\"max\":8388608}")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("upgrade Cairn");
    assertThatThrownBy(() -> read(config(
        "{\"algorithm\":\"fastcdc-gear-v2\",\"normalization\":7,\"min\":524288,\"avg\":1048576,\"max\":8388608}")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'7'").hasMessageContaining("upgrade Cairn");
  }
}
