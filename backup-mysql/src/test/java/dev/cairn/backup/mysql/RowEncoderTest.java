package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RowEncoderTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String encode(byte[][] values, boolean... hex) {
    return new String(new RowEncoder().encode(values, hex), StandardCharsets.UTF_8);
  }

  @Test
  void escapesWhatLoadDataTreatsSpecially() {
    assertThat(encode(new byte[][] {utf8("a\tb\nc\\d\re\0f"), utf8("😀 ü")}, false, false))
        .isEqualTo("a\\tb\\nc\\\\d\\re\\0f\t😀 ü\n");
  }

  @Test
  void writesNullAsBackslashNAndKeepsTheStringBackslashN() {
    assertThat(encode(new byte[][] {null, utf8("\\N"), utf8("NULL"), utf8("")}, false, false, false, false))
        .isEqualTo("\\N\t\\\\N\tNULL\t\n");
  }

  @Test
  void writesBinaryAsUpperCaseHexWithNullAndEmptyDistinct() {
    assertThat(encode(new byte[][] {{0, (byte) 0xff, '\t', '\\'}, {}, null}, true, true, true))
        .isEqualTo("00FF095C\t\t\\N\n");
  }

  @Test
  void checksumIsOrderIndependentAndSensitiveToEveryByte() {
    byte[] a = new RowEncoder().encode(new byte[][] {utf8("1"), utf8("x")}, new boolean[2]);
    byte[] b = new RowEncoder().encode(new byte[][] {utf8("2"), utf8("y")}, new boolean[2]);
    byte[] c = new RowEncoder().encode(new byte[][] {utf8("2"), utf8("z")}, new boolean[2]);
    RowChecksum ab = new RowChecksum();
    ab.add(a, a.length);
    ab.add(b, b.length);
    RowChecksum ba = new RowChecksum();
    ba.add(b, b.length);
    ba.add(a, a.length);
    RowChecksum ac = new RowChecksum();
    ac.add(a, a.length);
    ac.add(c, c.length);
    assertThat(ab.value()).isEqualTo(ba.value()).isNotEqualTo(ac.value()).hasSize(16);
    assertThat(ab.rows()).isEqualTo(2);
    RowChecksum twice = new RowChecksum();
    twice.add(a, a.length);
    twice.add(a, a.length);
    RowChecksum once = new RowChecksum();
    once.add(a, a.length);
    assertThat(twice.value()).isNotEqualTo(once.value());
  }
}
