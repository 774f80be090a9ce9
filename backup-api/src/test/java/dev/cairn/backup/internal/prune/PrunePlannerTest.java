package dev.cairn.backup.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.ObjectId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrunePlannerTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private static final Instant OLD = NOW.minus(Duration.ofDays(3));
  private static final Duration WINDOW = Duration.ofHours(1);

  private static ObjectId id(int n) {
    byte[] b = new byte[ObjectId.LENGTH];
    ByteBuffer.wrap(b).putInt(n);
    return ObjectId.of(b);
  }

  /** A pack of blobs numbered {@code ids}, each {@code 100} bytes. */
  private static PackInfo pack(String name, Instant written, int... ids) {
    List<PackInfo.Blob> blobs = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      blobs.add(new PackInfo.Blob(id(ids[i]), false, i * 100L, 100));
    }
    return new PackInfo(name, ids.length * 100L, written, true, blobs);
  }

  private static Set<ObjectId> used(int... ids) {
    Set<ObjectId> s = new java.util.HashSet<>();
    for (int i : ids) {
      s.add(id(i));
    }
    return s;
  }

  private static List<String> names(List<PackInfo> packs) {
    return packs.stream().map(PackInfo::name).sorted().toList();
  }

  @Test
  void deletesUnusedPacksKeepsUsedOnesAndRepacksMostlyUnusedOnes() {
    List<PackInfo> packs = List.of(
        pack("full", OLD, 1, 2, 3, 4),
        pack("empty", OLD, 5, 6, 7, 8),
        pack("mostly-unused", OLD, 9, 10, 11, 12),
        pack("mostly-used", OLD, 13, 14, 15, 16));
    Set<ObjectId> used = used(1, 2, 3, 4, 9, 13, 14, 15);
    // used 800 B; 10% after prune allows 88 B unused: both partly used packs hold more, the worse goes first
    PrunePlan plan = PrunePlanner.plan(packs, used, MaxUnused.percent(10), NOW, WINDOW);
    assertThat(names(plan.delete())).containsExactly("empty");
    assertThat(names(plan.repack())).containsExactly("mostly-unused", "mostly-used");
    assertThat(names(plan.keep())).containsExactly("full");
    assertThat(plan.copy().get("mostly-unused")).extracting(PackInfo.Blob::id).containsExactly(id(9));
    assertThat(plan.stats().freedBytes()).isEqualTo(400 + 800 - 400);
    assertThat(plan.stats().unusedAfter()).isZero();

    // 30% allows 342 B: repacking the worst pack (300 B unused) leaves 100 B
    PrunePlan lenient = PrunePlanner.plan(packs, used, MaxUnused.percent(30), NOW, WINDOW);
    assertThat(names(lenient.repack())).containsExactly("mostly-unused");
    assertThat(names(lenient.keep())).containsExactly("full", "mostly-used");
    assertThat(lenient.stats().unusedAfter()).isEqualTo(100);

    PrunePlan unlimited = PrunePlanner.plan(packs, used, MaxUnused.unlimited(), NOW, WINDOW);
    assertThat(unlimited.repack()).isEmpty();
    assertThat(names(unlimited.delete())).containsExactly("empty");
  }

  @Test
  void neverTouchesPacksWithinTheSafetyWindowOrUnindexedPacksOfUnknownAge() {
    PackInfo young = pack("young", NOW.minus(Duration.ofMinutes(10)), 1, 2);
    PackInfo unknownUnindexed = new PackInfo("unindexed-unknown", 500, null, false, List.of());
    PackInfo oldUnindexed = new PackInfo("unindexed-old", 500, OLD, false, List.of());
    PackInfo old = pack("old", OLD, 3);
    PrunePlan plan = PrunePlanner.plan(List.of(young, unknownUnindexed, oldUnindexed, old), used(), MaxUnused.bytes(0), NOW, WINDOW);
    assertThat(names(plan.protectedPacks())).containsExactly("unindexed-unknown", "young");
    assertThat(names(plan.keep())).containsExactly("unindexed-unknown", "young");
    assertThat(names(plan.delete())).containsExactly("old", "unindexed-old");
  }

  @Test
  void keepsOneCopyOfADuplicatedBlobInThePackThatStays() {
    PackInfo a = pack("a", OLD, 1, 2, 3); // fully used
    PackInfo b = pack("b", OLD, 3, 4); // 3 duplicated, 4 unused
    PrunePlan plan = PrunePlanner.plan(List.of(b, a), used(1, 2, 3), MaxUnused.bytes(0), NOW, WINDOW);
    assertThat(names(plan.keep())).containsExactly("a");
    assertThat(names(plan.delete())).containsExactly("b");
    assertThat(plan.stats().usedBytes()).isEqualTo(300);
    assertThat(plan.stats().unusedBytes()).isEqualTo(200);
  }

  @Test
  void countsNeededBlobsThatNoPackHolds() {
    PrunePlan plan = PrunePlanner.plan(List.of(pack("a", OLD, 1)), used(1, 2, 3), MaxUnused.DEFAULT, NOW, WINDOW);
    assertThat(plan.stats().missingBlobs()).isEqualTo(2);
    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void rendersADryRunReport() {
    PrunePlan plan = PrunePlanner.plan(List.of(pack("a", OLD, 1), pack("b", OLD, 2)), used(1), MaxUnused.DEFAULT, NOW, WINDOW);
    String text = plan.toReport(true, 1, java.time.Duration.ZERO).render();
    assertThat(text).contains("would delete:     1 packs (100 B)").contains("would free:       100 B");
    assertThat(plan.toReport(false, 1, java.time.Duration.ZERO).render()).contains("\ndelete:           1 packs (100 B)");
    assertThat(dev.cairn.backup.PruneReport.bytes(1536)).isEqualTo("1.50 KiB");
  }

  @Test
  void parsesMaxUnusedLikeRestic() {
    assertThat(MaxUnused.parse("10%").limit(900)).isEqualTo(100);
    assertThat(MaxUnused.parse("0").limit(900)).isZero();
    assertThat(MaxUnused.parse("200M").limit(1)).isEqualTo(200L << 20);
    assertThat(MaxUnused.parse("unlimited").limit(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(MaxUnused.parse("100%").limit(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(MaxUnused.DEFAULT).hasToString("10%");
    assertThatThrownBy(() -> MaxUnused.parse("ten")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ten'").hasMessageContaining("10%");
    assertThatThrownBy(() -> MaxUnused.parse("120%")).isInstanceOf(IllegalArgumentException.class);
  }
}
