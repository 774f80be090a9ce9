package dev.cairn.backup.internal.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.compress.Codec;
import dev.cairn.backup.internal.compress.Compression;
import java.io.IOException;
import java.time.Instant;

/** The JSON form of {@link RepositoryConfig} (schema in docs/format.md). */
final class ConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigJson() {}

  static byte[] write(RepositoryConfig c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", c.version());
    n.put("id", c.id().hex());
    n.put("created", c.created().toString());
    ObjectNode ch = n.putObject("chunker");
    if (c.chunker().normalization() == ChunkerParams.LEGACY_NORMALIZATION) {
      ch.put("algorithm", "fastcdc-gear-v1");
    } else {
      ch.put("algorithm", "fastcdc-gear-v2");
      ch.put("normalization", c.chunker().normalization());
    }
    ch.put("min", c.chunker().min());
    ch.put("avg", c.chunker().avg());
    ch.put("max", c.chunker().max());
    ObjectNode co = n.putObject("compression");
    co.put("codec", c.compression().codec().name().toLowerCase(java.util.Locale.ROOT));
    co.put("level", c.compression().level());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static RepositoryConfig read(byte[] json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IntegrityException("repository config is not valid JSON: " + e.getMessage(), e);
    }
    int version = n.path("version").asInt(-1);
    if (version != RepositoryConfig.CURRENT_VERSION) {
      throw new ConfigurationException("repository format version " + version + " is not supported: this Cairn reads"
          + " version " + RepositoryConfig.CURRENT_VERSION + " only; use a Cairn release that supports version "
          + version);
    }
    JsonNode ch = n.path("chunker");
    String algorithm = ch.path("algorithm").asText();
    int normalization;
    if ("fastcdc-gear-v1".equals(algorithm)) {
      normalization = ChunkerParams.LEGACY_NORMALIZATION;
    } else if ("fastcdc-gear-v2".equals(algorithm)) {
      normalization = ch.path("normalization").asInt(-1);
      if (normalization < 0 || normalization > 3) {
        throw new ConfigurationException("repository uses chunker normalization level '"
            + ch.path("normalization").asText("(none)") + "', which this Cairn does not know: upgrade Cairn");
      }
    } else {
      throw new ConfigurationException("repository uses unknown chunker '" + ch.path("algorithm").asText()
          + "': upgrade Cairn");
    }
    try {
      return new RepositoryConfig(version, ObjectId.parse(n.path("id").asText()),
          Instant.parse(n.path("created").asText()),
          new ChunkerParams(ch.path("min").asInt(), ch.path("avg").asInt(), ch.path("max").asInt(), normalization),
          new Compression(Codec.fromName(n.path("compression").path("codec").asText("zstd")),
              n.path("compression").path("level").asInt(3)));
    } catch (RuntimeException e) {
      throw new IntegrityException("repository config is malformed: " + e.getMessage(), e);
    }
  }
}
