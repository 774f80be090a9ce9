package dev.cairn.backup.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.ObjectId;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdSetTest {
  @Test
  void holdsWhatAHashSetHoldsThroughGrowth() {
    Random r = new Random(5);
    IdSet ids = new IdSet();
    Set<ObjectId> expected = new HashSet<>();
    byte[] b = new byte[ObjectId.LENGTH];
    for (int i = 0; i < 20_000; i++) {
      r.nextBytes(b);
      if (i % 3 == 0) {
        b[0] = 7; // the same first long for many: probing must compare whole ids
        for (int k = 1; k < 8; k++) {
          b[k] = 0;
        }
      }
      ObjectId id = ObjectId.of(b.clone());
      assertThat(ids.add(id)).isEqualTo(expected.add(id));
      assertThat(ids.add(id)).isFalse();
    }
    assertThat(ids.size()).isEqualTo(expected.size());
    for (ObjectId id : expected) {
      assertThat(ids.contains(id)).isTrue();
    }
    r.nextBytes(b);
    assertThat(ids.contains(ObjectId.of(b))).isEqualTo(expected.contains(ObjectId.of(b)));
    assertThat(ids.contains(ObjectId.of(new byte[ObjectId.LENGTH]))).isFalse();
    assertThat(new HashSet<>(ids)).isEqualTo(expected); // iterates every id once
    assertThat(ids).isEqualTo(expected);
  }

  @Test
  void keepsValuesThroughGrowth() {
    Random r = new Random(9);
    IdSet ids = new IdSet();
    java.util.Map<ObjectId, Integer> expected = new java.util.HashMap<>();
    byte[] b = new byte[ObjectId.LENGTH];
    r.nextBytes(b);
    ObjectId plain = ObjectId.of(b.clone());
    ids.add(plain);
    for (int i = 0; i < 5_000; i++) {
      r.nextBytes(b);
      ObjectId id = ObjectId.of(b.clone());
      ids.put(id, i % 4097);
      expected.put(id, i % 4097);
    }
    expected.forEach((id, v) -> assertThat(ids.value(id)).isEqualTo(v));
    assertThat(ids.value(plain)).isZero();
    assertThat(ids.value(ObjectId.of(new byte[ObjectId.LENGTH]))).isEqualTo(-1);
    assertThat(ids).hasSize(5_001);
  }
}
