package dev.cairn.backup.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
  @Test
  void matchesAnsibleStylePatterns() {
    Glob tasks = Glob.compile("roles/*/tasks/main.yaml");
    assertThat(tasks.matches("roles/web/tasks/main.yaml")).isTrue();
    assertThat(tasks.matches("roles/web/handlers/main.yaml")).isFalse();
    assertThat(tasks.matches("roles/a/b/tasks/main.yaml")).isFalse();
    assertThat(Glob.compile("group_vars/all.yaml").matches("group_vars/all.yaml")).isTrue();
    assertThat(Glob.compile("group_vars/all.yaml").matches("group_vars/all.yml")).isFalse();
  }

  @Test
  void doubleStarSpansSegmentsAndDirectoryGlobCoversContents() {
    assertThat(Glob.compile("**").matches("a/b/c")).isTrue();
    assertThat(Glob.compile("**/*.log").matches("x.log")).isTrue();
    assertThat(Glob.compile("**/*.log").matches("a/b/x.log")).isTrue();
    assertThat(Glob.compile("**/*.log").matches("a/b/x.txt")).isFalse();
    assertThat(Glob.compile("cache").matches("cache/deep/file")).isTrue();
    assertThat(Glob.compile("cache").matches("cached")).isFalse();
    assertThat(Glob.compile("file?.[ab]").matches("file1.a")).isTrue();
    assertThat(Glob.compile("file?.[!ab]").matches("file1.a")).isFalse();
  }
}
