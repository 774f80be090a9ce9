package dev.cairn.backup.internal.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BlobBuffersTest {
  @Test
  void reusesReturnedArraysOfACloseSize() {
    BlobBuffers pool = new BlobBuffers(8 << 20);
    byte[] a = pool.take(4_000_000);
    assertThat(a.length).isBetween(4_000_000, 4_000_000 + 256 * 1024);
    pool.give(a);
    assertThat(pool.take(3_500_000)).as("at most a few size classes larger").isSameAs(a);
    pool.give(a);
    assertThat(pool.take(1_000_000)).as("far too large: a fresh, smaller array").isNotSameAs(a)
        .satisfies(b -> assertThat(b.length).isLessThan(a.length));
  }

  @Test
  void keepsNoMoreThanItsLimitAndLeavesSmallAndForeignArraysAlone() {
    BlobBuffers pool = new BlobBuffers(1 << 20);
    byte[] first = pool.take(1 << 20);
    byte[] second = pool.take(1 << 20);
    pool.give(first);
    pool.give(second); // over the limit: dropped
    assertThat(pool.take(1 << 20)).isSameAs(first);
    assertThat(pool.take(1 << 20)).isNotSameAs(second);
    assertThat(pool.take(1000)).hasSize(1000);
    byte[] odd = new byte[300_001];
    pool.give(odd);
    assertThat(pool.take(300_001)).isNotSameAs(odd);
  }
}
