package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataSubsetTest {
  private static final List<ObjectId> PACKS = packs(1000, 7);

  private static List<ObjectId> packs(int n, long seed) {
    Random r = new Random(seed);
    List<ObjectId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[ObjectId.LENGTH];
      r.nextBytes(b);
      out.add(ObjectId.of(b));
    }
    out.sort(null);
    return out;
  }

  @Test
  void parsesResticsForms() {
    assertThat(DataSubset.parse("2/5")).isEqualTo(DataSubset.group(2, 5));
    assertThat(DataSubset.parse(" 10% ")).isEqualTo(DataSubset.percent(10));
    assertThat(DataSubset.parse("2.5%")).isEqualTo(DataSubset.percent(2.5));
    assertThat(DataSubset.parse("500M")).isEqualTo(DataSubset.bytes(500L << 20));
    assertThat(DataSubset.parse("2g")).isEqualTo(DataSubset.bytes(2L << 30));
    assertThat(DataSubset.parse("1.5T")).isEqualTo(DataSubset.bytes(3L << 39));
    assertThat(DataSubset.parse("64KiB")).isEqualTo(DataSubset.bytes(64L << 10));
    assertThat(DataSubset.parse("12345")).isEqualTo(DataSubset.bytes(12345));
    assertThat(DataSubset.parse("all")).isEqualTo(DataSubset.all());
    assertThat(DataSubset.parse("none")).isEqualTo(DataSubset.none());
    // a whole is a whole
    assertThat(DataSubset.parse("1/1").readsAll()).isTrue();
    assertThat(DataSubset.parse("100%").readsAll()).isTrue();
    assertThat(DataSubset.none().readsData()).isFalse();
  }

  @Test
  void printsWhatItParses() {
    for (String spec : List.of("3/4", "10%", "2.5%", "0.00001%", "500M", "2G", "1000", "all", "none")) {
      assertThat(DataSubset.parse(spec).toString()).isEqualTo(spec);
      assertThat(DataSubset.parse(DataSubset.parse(spec).toString())).isEqualTo(DataSubset.parse(spec));
    }
  }

  @Test
  void rejectsNonsenseNamingTheValueAndTheForms() {
    assertThatThrownBy(() -> DataSubset.parse("half")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'half'").hasMessageContaining("n/t").hasMessageContaining("10%")
        .hasMessageContaining("500M");
    assertThatThrownBy(() -> DataSubset.parse("0/4")).hasMessageContaining("1 <= n <= t");
    assertThatThrownBy(() -> DataSubset.parse("5/4")).hasMessageContaining("1 <= n <= t");
    assertThatThrownBy(() -> DataSubset.parse("1/100000")).hasMessageContaining("65536");
    assertThatThrownBy(() -> DataSubset.parse("1/99999999999")).hasMessageContaining("too large");
    assertThatThrownBy(() -> DataSubset.parse("0%")).hasMessageContaining("more than 0%").hasMessageStartingWith(
        "data subset 0%:");
    assertThatThrownBy(() -> DataSubset.parse("150%")).hasMessageContaining("at most 100%");
    assertThatThrownBy(() -> DataSubset.parse("0")).hasMessageContaining("positive size");
    assertThatThrownBy(() -> DataSubset.parse("99999999T")).hasMessageContaining("too large");
  }

  @Test
  void groupsPartitionThePacksEvenlyAndStably() {
    for (int t : List.of(2, 3, 4, 7, 256, 1000)) {
      Set<ObjectId> seen = new HashSet<>();
      for (int n = 1; n <= t; n++) {
        List<ObjectId> group = DataSubset.group(n, t).select(PACKS, p -> 1, new Random(n));
        // the same group whatever the randomness
        assertThat(DataSubset.group(n, t).select(PACKS, p -> 1, new Random(-n))).isEqualTo(group);
        for (ObjectId p : group) {
          assertThat(seen.add(p)).as("pack in two groups of %d", t).isTrue();
        }
        if (t <= 7) {
          // 1000 random ids: each group within a generous band of its share
          assertThat(group.size()).as("group %d/%d", n, t).isBetween(1000 / t / 2, 1000 / t * 2);
        }
      }
      assertThat(seen).as("every pack in some group of %d", t).hasSize(PACKS.size());
    }
  }

  @Test
  void percentPicksThatManyDistinctPacksAtRandom() {
    List<ObjectId> a = DataSubset.percent(10).select(PACKS, p -> 1, new Random(1));
    List<ObjectId> b = DataSubset.percent(10).select(PACKS, p -> 1, new Random(2));
    assertThat(a).hasSize(100).doesNotHaveDuplicates().isSubsetOf(PACKS);
    assertThat(b).hasSize(100);
    assertThat(a).isNotEqualTo(b);
    // order is the given order, so reads go through the repository in pack order
    assertThat(a).isSortedAccordingTo(ObjectId::compareTo);
    // counted in decimal: 1.1% of 3000 is 33 (binary floating point rounds 33.000000000000004 up to 34)
    List<ObjectId> many = packs(3000, 8);
    assertThat(DataSubset.percent(1.1).select(many, p -> 1, new Random(1))).hasSize(33);
    assertThat(DataSubset.percent(1.11).select(many, p -> 1, new Random(1))).hasSize(34);
    // a tiny share of a few packs still reads one
    assertThat(DataSubset.percent(0.01).select(PACKS.subList(0, 3), p -> 1, new Random(3))).hasSize(1);
    assertThat(DataSubset.percent(50).select(List.of(), p -> 1, new Random(3))).isEmpty();
  }

  @Test
  void sizePicksPacksUntilThatMuchDataIsChosen() {
    List<ObjectId> chosen = DataSubset.bytes(250).select(PACKS, p -> 10, new Random(4));
    assertThat(chosen).hasSize(25).doesNotHaveDuplicates();
    // one byte more than a pack: two packs
    assertThat(DataSubset.bytes(11).select(PACKS, p -> 10, new Random(4))).hasSize(2);
    // more than there is: every pack
    assertThat(DataSubset.bytes(1L << 40).select(PACKS, p -> 10, new Random(4))).isEqualTo(PACKS);
  }

  @Test
  void noneAndAll() {
    assertThat(DataSubset.none().select(PACKS, p -> 1, new Random())).isEmpty();
    assertThat(DataSubset.all().select(PACKS, p -> 1, new Random())).isEqualTo(PACKS);
  }
}
