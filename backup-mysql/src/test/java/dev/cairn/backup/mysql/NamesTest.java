package dev.cairn.backup.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void encodesOnlyCharactersThatBreakPathsAndRoundTrips() {
    assertThat(Names.encodeSegment("users")).isEqualTo("users");
    assertThat(Names.encodeSegment("ünï cödé 😀")).isEqualTo("ünï cödé 😀");
    assertThat(Names.encodeSegment("a/b\\c%d@e")).isEqualTo("a%2Fb%5Cc%25d%40e");
    assertThat(Names.encodeSegment(".hidden")).isEqualTo("%2Ehidden");
    assertThat(Names.encodeSegment("tab\there")).isEqualTo("tab%09here");
    for (String s : List.of("users", "a/b\\c%d@e", ".x", "..", "ü%😀", "tab\there", "50%")) {
      assertThat(Names.decodeSegment(Names.encodeSegment(s))).isEqualTo(s);
    }
  }

  @Test
  void quotesIdentifiersAndLiterals() {
    assertThat(Names.quote("we`ird")).isEqualTo("`we``ird`");
    assertThat(Names.quote("db", "t")).isEqualTo("`db`.`t`");
    assertThat(Names.literal("it's a \\ \n")).isEqualTo("'it''s a \\\\ \\n'");
  }

  @Test
  void matchesGlobs() {
    assertThat(Names.matchesAny(List.of("app.*"), "app.users")).isTrue();
    assertThat(Names.matchesAny(List.of("app.*"), "apps.users")).isFalse();
    assertThat(Names.matchesAny(List.of("log_?"), "log_1")).isTrue();
    assertThat(Names.matchesAny(List.of("a+b"), "a+b")).isTrue();
    assertThat(Names.matchesAny(List.of("a+b"), "aab")).isFalse();
    assertThat(Names.isGlob("app")).isFalse();
    assertThat(Names.isGlob("app*")).isTrue();
  }
}
