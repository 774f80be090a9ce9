package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParallelDumperTest {
  private static TableDef table(long rows) {
    return new TableDef("db", "t", List.of(new TableDef.Column("id", false, false)), List.of("id"), true, rows);
  }

  private static List<String> ranges(long rows, long min, long max, long perChunk) {
    return ParallelDumper.ranges(table(rows), BigInteger.valueOf(min), BigInteger.valueOf(max), perChunk).stream()
        .map(t -> String.valueOf(t.where())).toList();
  }

  @Test
  void splitsAtPowerOfTwoMultiplesWithOpenEnds() {
    assertThat(ranges(1_000_000, 1, 1_000_000, 300_000)).containsExactly(
        "`id` < 262144", "`id` >= 262144 AND `id` < 524288", "`id` >= 524288 AND `id` < 786432", "`id` >= 786432");
  }

  @Test
  void keepsBoundariesWhenTheTableGrowsAFewRows() {
    List<String> before = ranges(1_000_000, 1, 1_000_000, 300_000);
    List<String> after = ranges(1_010_000, 1, 1_010_000, 300_000);
    assertThat(after.subList(0, 3)).isEqualTo(before.subList(0, 3));
  }

  @Test
  void handlesNegativeAndHugeKeys() {
    assertThat(ranges(4, -10, 10, 2)).containsExactly("`id` < 0", "`id` >= 0");
    List<String> huge = ParallelDumper.ranges(table(10), BigInteger.ZERO, new BigInteger("18446744073709551615"), 5)
        .stream().map(t -> String.valueOf(t.where())).toList();
    assertThat(huge).hasSize(2).last().isEqualTo("`id` >= 9223372036854775808");
  }

  @Test
  void singleRangeHasNoCondition() {
    assertThat(ranges(10, 5, 5, 1)).containsExactly("null");
  }
}
