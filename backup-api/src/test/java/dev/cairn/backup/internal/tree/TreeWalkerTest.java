package dev.cairn.backup.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.ObjectId;
import dev.cairn.backup.spi.EntryType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeWalkerTest {
  private static final Instant T = Instant.parse("2026-11-28T07:00:00Z");
  private final Map<ObjectId, byte[]> store = new HashMap<>();
  private final List<Collection<ObjectId>> calls = new ArrayList<>();

  private ObjectId put(List<Node> nodes) {
    return put(TreeCodec.encode(nodes));
  }

  private ObjectId put(byte[] tree) {
    try {
      ObjectId id = ObjectId.of(MessageDigest.getInstance("SHA-256").digest(tree));
      store.put(id, tree);
      return id;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<ObjectId, byte[]> load(Collection<ObjectId> ids) {
    calls.add(List.copyOf(ids));
    Map<ObjectId, byte[]> out = new HashMap<>();
    ids.forEach(id -> out.put(id, store.get(id)));
    return out;
  }

  private static Node file(String name) {
    return new Node(name, EntryType.FILE, 1, T, 0644, 1, Map.of(), null,
        List.of(ObjectId.of(new byte[32])), null);
  }

  private static Node dir(String name, ObjectId subtree) {
    return new Node(name, EntryType.DIRECTORY, 0, T, 0755, 0, Map.of(), null, List.of(), subtree);
  }

  @Test
  void aTreeSharedByTwoDirectoriesIsLoadedOnceAndListedUnderBoth() {
    ObjectId shared = put(List.of(file("f")));
    ObjectId root = put(List.of(dir("x", shared), dir("y", shared), file("top")));

    Map<String, Node> all = TreeWalker.flatten(root, this::load);

    assertThat(all.keySet()).containsExactly("top", "x", "x/f", "y", "y/f");
    assertThat(calls).containsExactly(List.of(root), List.of(shared));
  }

  @Test
  void oneBulkLoadPerLevelInBatches() {
    List<Node> dirs = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      dirs.add(dir(String.format("d%04d", i), put(List.of(file("f" + i)))));
    }
    ObjectId root = put(dirs);

    Map<String, Node> all = TreeWalker.flatten(root, this::load);

    assertThat(all).hasSize(5000).containsKey("d2499/f2499");
    assertThat(calls).hasSize(1 + 3); // the root, then 2,500 trees in batches of at most 1,024
    assertThat(calls).allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(TreeWalker.BATCH));
  }

  @Test
  void aTreeThatContainsItselfIsDamagedNotALoopForever() {
    ObjectId self = ObjectId.parse("ab".repeat(32));
    store.put(self, TreeCodec.encode(List.of(dir("again", self))));

    assertThatThrownBy(() -> TreeWalker.flatten(self, this::load))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("more than " + TreeWalker.MAX_DEPTH + " directories deep");
  }

  @Test
  void walkingATreeThatContainsItselfReportsItInsteadOfOverflowingTheStack() {
    ObjectId self = ObjectId.parse("ab".repeat(32));
    store.put(self, TreeCodec.encode(List.of(dir("again", self))));
    List<String> failed = new ArrayList<>();
    int[] visited = {0};

    TreeWalker.walk(self, store::get, (path, node) -> visited[0]++,
        (path, tree, error) -> failed.add(error.getMessage()));

    assertThat(visited[0]).isEqualTo(TreeWalker.MAX_DEPTH + 1);
    assertThat(failed).singleElement().asString().contains("more than " + TreeWalker.MAX_DEPTH + " directories deep");
  }

  @Test
  void aTreeTheLoaderDoesNotDeliverIsAnIntegrityErrorWithItsPath() {
    ObjectId missing = ObjectId.parse("cd".repeat(32));
    ObjectId root = put(List.of(dir("etc", missing)));

    assertThatThrownBy(() -> TreeWalker.flatten(root, this::load))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("at 'etc'");
  }

  @Test
  void aDamagedTreeNamesItsPath() {
    ObjectId bad = put("{\"version\":1,\"nodes\":[{\"name\":\"n\"}]}".getBytes(StandardCharsets.UTF_8));
    ObjectId root = put(List.of(dir("var", bad)));

    assertThatThrownBy(() -> TreeWalker.flatten(root, this::load))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("at 'var' is not a valid tree");
  }
}
