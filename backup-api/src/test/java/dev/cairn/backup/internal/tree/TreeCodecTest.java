package dev.cairn.backup.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryType;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeCodecTest {
  private static final ObjectId A = ObjectId.of(new byte[32]);
  private static final ObjectId B = ObjectId.parse("ab".repeat(32));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyKindOfNodeSurvivesARoundTrip() {
    List<Node> nodes = List.of(
        new Node("file.txt", EntryType.FILE, 1234, Instant.parse("2026-11-28T06:31:02.123456789Z"), 0644, 77,
            Map.of("xattr.user.a", "1", "owner", "root"), null, List.of(A, B, A), null),
        new Node("dir", EntryType.DIRECTORY, 0, Instant.parse("1970-01-01T00:00:00Z"), 0755, 0, Map.of(), null,
            List.of(), B),
        new Node("link", EntryType.SYMLINK, 0, null, -1, 0, Map.of(), "../file.txt", List.of(), null),
        new Node("empty", EntryType.FILE, 0, Instant.parse("2001-02-03T04:05:06.700Z"), 0600, 5, Map.of(), null,
            List.of(), null),
        new Node("ünï €", EntryType.FILE, 1, Instant.parse("+12026-01-01T00:00:00Z"), 0, 1, Map.of(), null,
            List.of(B), null));

    List<Node> decoded = TreeCodec.decode(TreeCodec.encode(nodes), "tree t");

    List<Node> sorted = new ArrayList<>(nodes);
    sorted.sort((x, y) -> x.name().compareTo(y.name()));
    assertThat(decoded).isEqualTo(sorted);
  }

  @Test
  void fieldsAreReadInAnyOrderAndUnknownOnesAreSkipped() {
    String json = "{\"future\":{\"x\":[1,{\"y\":2}]},\"nodes\":[{\"content\":[\"" + A.hex() + "\"],"
        + "\"mtime\":\"2026-01-02T03:04:05Z\",\"later\":[1,2],\"type\":\"file\",\"size\":9,\"name\":\"f\","
        + "\"attributes\":{\"k\":\"v\"},\"target\":null}],\"version\":1}";

    List<Node> nodes = TreeCodec.decode(utf8(json), "tree t");

    assertThat(nodes).containsExactly(new Node("f", EntryType.FILE, 9, Instant.parse("2026-01-02T03:04:05Z"), -1, 0,
        Map.of("k", "v"), null, List.of(A), null));
  }

  @Test
  void badTreesAreIntegrityErrorsNamingTheTree() {
    assertThatThrownBy(() -> TreeCodec.decode(utf8("{\"version\":2,\"nodes\":[]}"), "tree 1a2b at 'etc'"))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("tree 1a2b at 'etc' has tree format version 2");
    assertThatThrownBy(() -> TreeCodec.decode(utf8("{\"nodes\":[]}"), "tree x"))
        .isInstanceOf(IntegrityException.class).hasMessageContaining("version -1");
    // a newer format's nodes may not parse as version 1: the version is what the user needs to hear about
    assertThatThrownBy(() -> TreeCodec.decode(utf8("{\"version\":2,\"nodes\":[{\"name\":\"n\",\"type\":\"fifo\"}]}"),
        "tree y")).isInstanceOf(IntegrityException.class).hasMessageContaining("tree y has tree format version 2");
    assertThatThrownBy(() -> TreeCodec.decode(utf8("{\"version\":{\"version\":1,\"nodes\":[]}}"), "tree z"))
        .isInstanceOf(IntegrityException.class).hasMessageContaining("version -1");
    for (String bad : List.of("", "[]", "{\"version\":1,\"nodes\":[", "{\"version\":1,\"nodes\":[3]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"n\"}]}", "{\"version\":1,\"nodes\":[{\"name\":\"n\",\"type\":\"pipe\"}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"n\",\"type\":\"file\",\"content\":[\"abc\"]}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"n\",\"type\":\"file\",\"mtime\":\"2026-02-30T00:00:00Z\"}]}",
        "{\"version\":1,\"nodes\":[{\"name\":\"n\",\"type\":\"file\",\"mtime\":\"yesterday\"}]}",
        "{\"version\":1,\"nodes\":[{\"name\":{\"type\":\"directory\"}}]}")) {
      assertThatThrownBy(() -> TreeCodec.decode(utf8(bad), "tree c0ffee"))
          .as(bad)
          .isInstanceOf(IntegrityException.class)
          .hasMessageStartingWith("tree c0ffee is not a valid tree");
    }
  }

  @Test
  void timestampsParseExactlyAsInstantParse() {
    Random random = new Random(42);
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2024-02-29T12:00:00.5Z"),
        Instant.parse("-0001-06-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX));
    for (int i = 0; i < 20_000; i++) {
      // mostly years 0000-9999, the fast path; one in eight from further out, the Instant.parse fallback
      long seconds = i % 8 == 0 ? random.nextLong() % 31_556_889_864_403_199L
          : random.nextLong(-62_167_219_200L, 253_402_300_800L);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      instants.add(Instant.ofEpochSecond(seconds, nanos));
    }
    for (Instant t : instants) {
      assertThat(TreeCodec.parseInstant(t.toString())).as(t.toString()).isEqualTo(t);
    }
    for (String s : List.of("2026-11-28T06:31:02.1Z", "2026-11-28T06:31:02.12345678Z", "2016-12-31T23:59:60Z",
        "2026-11-28T24:00:00Z", "2026-11-28T06:31:02.Z")) {
      assertThat(TreeCodec.parseInstant(s)).as(s).isEqualTo(Instant.parse(s));
    }
    for (String bad : List.of("2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-28T24:00:01Z",
        "2026-11-28T25:00:00Z", "2026-11-28T23:60:00Z", "2026-11-28T23:59:61Z", "2026-11-28T06:31:02.1234567890Z", "2026-11-28 06:31:02Z", "2026-11-28T06:31:0xZ", "2026-11-28T06:31:02")) {
      assertThatThrownBy(() -> TreeCodec.parseInstant(bad)).as(bad).isInstanceOf(DateTimeException.class);
    }
  }
}
