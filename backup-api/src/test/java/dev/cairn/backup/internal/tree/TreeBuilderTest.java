package dev.cairn.backup.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeBuilderTest {
  private final Map<ObjectId, byte[]> store = new HashMap<>();

  private ObjectId put(byte[] b) {
    try {
      ObjectId id = ObjectId.of(MessageDigest.getInstance("SHA-256").digest(b));
      store.put(id, b);
      return id;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectId chunk(String s) {
    try {
      return ObjectId.of(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectId build(List<String> order) {
    return build(order, List.of());
  }

  /** Builds the test entries in {@code order}, reporting {@code complete} directories after them. */
  private ObjectId build(List<String> order, List<String> complete) {
    TreeBuilder b = new TreeBuilder(this::put);
    Instant t = Instant.parse("2026-11-28T01:02:03.123456789Z");
    for (String p : order) {
      switch (p) {
        case "d/empty" -> b.add(new EntryMetadata(p, EntryType.DIRECTORY, 0, t, 0755, 7, Map.of()), 0, null, List.of());
        case "d/link" -> b.add(new EntryMetadata(p, EntryType.SYMLINK, 0, t, 0777, 8, Map.of()), 0, "../ä ö", List.of());
        default -> b.add(new EntryMetadata(p, EntryType.FILE, 3, t, 0644, 9, Map.of("k", "v")), 3, null,
            List.of(chunk(p), chunk(p + "2")));
      }
    }
    complete.forEach(b::complete);
    return b.build();
  }

  @Test
  void sameEntriesInAnyOrderGiveTheSameTreeAndRoundTrip() {
    ObjectId a = build(List.of("d/empty", "d/link", "d/sub/file one.txt", "top", "d/sub/ünï", "d/empty/x"));
    ObjectId b = build(List.of("d/empty/x", "d/sub/ünï", "top", "d/sub/file one.txt", "d/link", "d/empty"));
    assertThat(a).isEqualTo(b);

    Map<String, Node> all = TreeWalker.flatten(a, ids -> {
      Map<ObjectId, byte[]> out = new HashMap<>();
      ids.forEach(id -> out.put(id, store.get(id)));
      return out;
    });
    assertThat(all.keySet()).containsExactly("d", "d/empty", "d/empty/x", "d/link", "d/sub", "d/sub/file one.txt", "d/sub/ünï", "top");
    assertThat(all.get("d/link").linkTarget()).isEqualTo("../ä ö");
    Node f = all.get("d/sub/ünï");
    assertThat(f.content()).containsExactly(chunk("d/sub/ünï"), chunk("d/sub/ünï2"));
    assertThat(f.modifiedTime()).isEqualTo(Instant.parse("2026-11-28T01:02:03.123456789Z"));
    assertThat(f.mode()).isEqualTo(0644);
    assertThat(f.attributes()).containsEntry("k", "v");
    assertThat(all.get("d/empty").subtree()).isNotNull();
    assertThat(all.get("d/empty").mode()).isEqualTo(0755); // explicit entry keeps its metadata
    assertThat(all.get("d").mode()).isEqualTo(-1); // implied directory
  }

  @Test
  void refusesDuplicatesAndChildrenOfFiles() {
    TreeBuilder b = new TreeBuilder(this::put);
    b.add(EntryMetadata.stream("x"), 0, null, List.of());
    assertThatThrownBy(() -> b.add(EntryMetadata.stream("x"), 0, null, List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'x'");
    b.add(EntryMetadata.stream("x/y"), 0, null, List.of());
    assertThatThrownBy(b::build).hasMessageContaining("'x' is a FILE");
  }

  @Test
  void directoriesReportedCompleteGiveTheSameTreesAndLeaveMemory() {
    List<String> entries = List.of("d/empty", "d/link", "d/sub/file one.txt", "top", "d/sub/ünï", "d/empty/x");
    ObjectId atTheEnd = build(entries);
    store.clear();
    // deepest first, as a walk reports them; a parent reported before its children writes them too
    assertThat(build(entries, List.of("d/sub", "d/empty", "d"))).isEqualTo(atTheEnd);
    assertThat(build(entries, List.of("d"))).isEqualTo(atTheEnd);
    assertThat(build(entries, List.of("nothing/here", "d/sub"))).isEqualTo(atTheEnd);

    TreeBuilder b = new TreeBuilder(this::put);
    Instant t = Instant.parse("2026-11-28T01:02:03Z");
    for (int i = 0; i < 1000; i++) {
      b.add(new EntryMetadata("a/f" + i, EntryType.FILE, 1, t, 0644, i + 1, Map.of()), 1, null, List.of(chunk("" + i)));
    }
    b.add(new EntryMetadata("a", EntryType.DIRECTORY, 0, t, 0755, 1, Map.of()), 0, null, List.of());
    assertThat(b.held()).isEqualTo(1001);
    b.complete("a");
    assertThat(b.held()).isEqualTo(1); // the root's entry for 'a', with its tree's id
    ObjectId root = b.build();
    Map<String, Node> all = TreeWalker.flatten(root, ids -> {
      Map<ObjectId, byte[]> out = new HashMap<>();
      ids.forEach(id -> out.put(id, store.get(id)));
      return out;
    });
    assertThat(all).hasSize(1001);
    assertThat(all.get("a").mode()).isEqualTo(0755);
    assertThat(all.get("a/f999").content()).containsExactly(chunk("999"));
  }

  @Test
  void refusesEntriesBelowACompleteDirectory() {
    TreeBuilder b = new TreeBuilder(this::put);
    b.add(EntryMetadata.stream("a/b/x"), 0, null, List.of());
    b.complete("a/b");
    assertThatThrownBy(() -> b.add(EntryMetadata.stream("a/b/y"), 0, null, List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a/b/y'")
        .hasMessageContaining("'a/b', which its source had already reported complete");
    assertThatThrownBy(() -> b.add(EntryMetadata.stream("a/b/c/z"), 0, null, List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a/b'");
    b.add(EntryMetadata.stream("a/other"), 0, null, List.of()); // beside it: fine
    b.complete("a");
    assertThatThrownBy(() -> b.add(EntryMetadata.stream("a/late"), 0, null, List.of()))
        .hasMessageContaining("'a', which its source had already reported complete");
    b.build();
    assertThatThrownBy(() -> b.add(EntryMetadata.stream("z"), 0, null, List.of()))
        .hasMessageContaining("after the trees were built");
  }
}
