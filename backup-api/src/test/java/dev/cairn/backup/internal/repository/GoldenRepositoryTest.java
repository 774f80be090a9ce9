package dev.cairn.backup.internal.repository;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.chunker.Chunker;
import dev.cairn.backup.internal.chunker.ChunkerParams;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden vectors: repositories checked in under {@code src/test/resources/golden/}, which every later
 * version must read and chunk exactly as they were written: {@code repo-v1} (format version 1, chunker
 * {@code fastcdc-gear-v1}, normalization level 2) and {@code repo-v1-gear2} (format version 1, chunker
 * {@code fastcdc-gear-v2}, level 1, the default since 2026-11-28).
 *
 * <p>Generate a new set (only when deliberately starting one, never to make this test pass; an
 * existing set is never overwritten), with the current defaults:
 * {@code ./mvnw -B -pl backup-api -am verify -Dtest=GoldenRepositoryTest -Dcairn.golden.generate=NAME
 * -Dsurefire.failIfNoSpecifiedTests=false}, run from the project root.
 */
class GoldenRepositoryTest {
  private static final Secret PASSPHRASE = Secret.of("cairn golden v1");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The fixed inputs, by name. */
  private static Map<String, byte[]> inputs() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("hello", "hello, golden repository\n".getBytes(StandardCharsets.UTF_8));
    m.put("text", RepositoryFixture.text(100_000, 1));
    m.put("random", RepositoryFixture.random(50_000, 42));
    m.put("tree", "{\"nodes\":[{\"name\":\"hello.txt\",\"type\":\"file\"}]}".getBytes(StandardCharsets.UTF_8));
    return m;
  }

  private static byte[] stream() {
    return RepositoryFixture.random(1_000_000, 7);
  }

  private static final byte[] SNAPSHOT = "{\"golden\":true,\"version\":1}".getBytes(StandardCharsets.UTF_8);

  @Test
  @EnabledIfSystemProperty(named = "cairn.golden.generate", matches = "repo-[a-z0-9-]+")
  void generate() throws IOException {
    String name = System.getProperty("cairn.golden.generate");
    Path out = Paths.get("src/test/resources/golden/" + name).toAbsolutePath();
    assertThat(Files.exists(out)).as("refusing to overwrite " + out).isFalse();
    RepositoryOptions opts = RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1))
        .chunker(new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024)).packSize(256 * 1024).workers(1)
        .hostname("golden").build();
    ObjectNode expected = JSON.createObjectNode();
    try (EncryptedRepository repo = EncryptedRepository.init(new LocalStorage(out), PASSPHRASE, opts)) {
      ObjectNode blobs = expected.putObject("blobs");
      for (var e : inputs().entrySet()) {
        byte[] d = e.getValue();
        ObjectId id = repo.chunkId(d, 0, d.length);
        repo.addBlob(e.getKey().equals("tree") ? BlobType.TREE : BlobType.DATA, id, d, 0, d.length);
        blobs.put(e.getKey(), id.hex());
      }
      ArrayNode chunks = expected.putArray("streamChunks");
      repo.newChunker().chunk(new ByteArrayInputStream(stream()), (b, off, len) -> {
        ObjectId id = repo.chunkId(b, off, len);
        repo.addBlob(BlobType.DATA, id, b, off, len);
        chunks.addObject().put("length", len).put("id", id.hex());
      });
      repo.flush();
      expected.put("snapshot", repo.saveUnpacked(FileType.SNAPSHOT, SNAPSHOT).hex());
      repo.addKey(Secret.of("cairn golden v1 second key"));
    }
    Files.write(out.resolveSibling(name + ".expected.json"), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(expected));
  }

  @ParameterizedTest
  @CsvSource({"repo-v1, 2", "repo-v1-gear2, 1"})
  void readsAndChunksTheCheckedInRepository(String name, int normalization, @TempDir Path tmp) throws IOException {
    var url = GoldenRepositoryTest.class.getResource("/golden/" + name + "/config");
    assertThat(url).as("golden repository missing from the test class path").isNotNull();
    Path golden;
    try {
      golden = Paths.get(url.toURI()).getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path copy = tmp.resolve("repo");
    try (Stream<Path> walk = Files.walk(golden)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = copy.resolve(golden.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    JsonNode expected = JSON.readTree(golden.resolveSibling(name + ".expected.json").toFile());
    RepositoryOptions opts = RepositoryOptions.builder().workers(1).build();
    for (Secret pass : List.of(PASSPHRASE, Secret.of("cairn golden v1 second key"))) {
      try (EncryptedRepository repo = EncryptedRepository.open(new LocalStorage(copy), pass, opts)) {
        assertThat(repo.config().version()).isEqualTo(1);
        assertThat(repo.config().chunker()).isEqualTo(new ChunkerParams(16 * 1024, 64 * 1024, 256 * 1024, normalization));
        assertThat(repo.keys()).hasSize(2);
        for (var e : inputs().entrySet()) {
          ObjectId id = ObjectId.parse(expected.path("blobs").path(e.getKey()).asText());
          byte[] d = e.getValue();
          assertThat(repo.chunkId(d, 0, d.length)).as("id of " + e.getKey()).isEqualTo(id);
          assertThat(repo.readBlob(id)).as(e.getKey()).isEqualTo(d);
          assertThat(repo.lookup(id).orElseThrow().type())
              .isEqualTo(e.getKey().equals("tree") ? BlobType.TREE : BlobType.DATA);
        }
        // the chunker (gear table derivation and boundary rule) must cut the same stream identically
        List<Integer> lengths = new ArrayList<>();
        List<ObjectId> ids = new ArrayList<>();
        Chunker c = repo.newChunker();
        c.chunk(new ByteArrayInputStream(stream()), (b, off, len) -> {
          lengths.add(len);
          ids.add(repo.chunkId(b, off, len));
        });
        JsonNode chunks = expected.path("streamChunks");
        assertThat(lengths).hasSize(chunks.size());
        byte[] s = stream();
        int pos = 0;
        for (int i = 0; i < chunks.size(); i++) {
          assertThat(lengths.get(i)).isEqualTo(chunks.get(i).path("length").asInt());
          ObjectId id = ObjectId.parse(chunks.get(i).path("id").asText());
          assertThat(ids.get(i)).isEqualTo(id);
          assertThat(repo.readBlob(id)).isEqualTo(java.util.Arrays.copyOfRange(s, pos, pos + lengths.get(i)));
          pos += lengths.get(i);
        }
        ObjectId snap = ObjectId.parse(expected.path("snapshot").asText());
        assertThat(repo.list(FileType.SNAPSHOT)).containsExactly(snap);
        assertThat(repo.loadUnpacked(FileType.SNAPSHOT, snap)).isEqualTo(SNAPSHOT);
        for (ObjectId pack : repo.packs()) {
          assertThat(repo.checkPack(pack).ok()).isTrue();
        }
      }
    }
  }
}
