package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanHooksTest {
  @TempDir Path dir;

  private static final HookEvent EVENT = new HookEvent("infra", "backup", Instant.parse("2026-11-28T02:00:00Z"),
      "ab12", Map.of("target", "local", "bytesNew", "1024"));

  @Test
  void commandHooksGetThePlanFactsInTheirEnvironment() throws Exception {
    PlanHooks hooks = PlanHooks.commands(
        List.of("sh", "-c", "echo before $CAIRN_PLAN $CAIRN_OPERATION > before.txt"),
        List.of("sh", "-c", "echo after $CAIRN_SNAPSHOT $CAIRN_TARGET $CAIRN_BYTESNEW $CAIRN_TIME > after.txt"),
        List.of("sh", "-c", "echo failed \"$CAIRN_ERROR\" > failed.txt"),
        dir, Duration.ofSeconds(30));
    hooks.beforeBackup(EVENT);
    hooks.afterBackup(EVENT);
    hooks.onFailure(EVENT, new SourceException("mysql unreachable"));
    assertThat(Files.readString(dir.resolve("before.txt"))).isEqualTo("before infra backup\n");
    assertThat(Files.readString(dir.resolve("after.txt"))).isEqualTo("after ab12 local 1024 2026-11-28T02:00:00Z\n");
    assertThat(Files.readString(dir.resolve("failed.txt"))).isEqualTo("failed mysql unreachable\n");
  }

  @Test
  void failingBeforeCommandThrowsWithItsOutput() {
    PlanHooks hooks = PlanHooks.commands(List.of("sh", "-c", "echo cannot stop service; exit 2"), List.of(),
        List.of(), dir, Duration.ofSeconds(30));
    assertThatThrownBy(() -> hooks.beforeBackup(EVENT)).hasMessageContaining("exited with 2")
        .hasMessageContaining("cannot stop service");
  }

  @Test
  void composedHooksRunInOrderAndAllFailureHooksRun() throws Exception {
    List<String> calls = new ArrayList<>();
    PlanHooks a = new PlanHooks() {
      @Override public void beforeBackup(HookEvent e) { calls.add("a.before"); }
      @Override public void onFailure(HookEvent e, Throwable t) throws Exception {
        calls.add("a.failure");
        throw new IllegalStateException("pager down");
      }
    };
    PlanHooks b = new PlanHooks() {
      @Override public void beforeBackup(HookEvent e) { calls.add("b.before"); }
      @Override public void onFailure(HookEvent e, Throwable t) { calls.add("b.failure"); }
    };
    PlanHooks both = PlanHooks.compose(List.of(a, PlanHooks.NONE, b));
    both.beforeBackup(EVENT);
    assertThatThrownBy(() -> both.onFailure(EVENT, new RuntimeException("x"))).hasMessage("pager down");
    assertThat(calls).containsExactly("a.before", "b.before", "a.failure", "b.failure");
  }

  @Test
  void hooksThatRethrowTheFailureTheyWereGivenSurfaceThatFailure() {
    PlanHooks rethrow = new PlanHooks() {
      @Override public void onFailure(HookEvent e, Throwable t) throws Exception {
        throw (Exception) t;
      }
    };
    PlanHooks both = PlanHooks.compose(List.of(rethrow, rethrow));
    IllegalStateException failure = new IllegalStateException("disk full");
    // not "Self-suppression not permitted"
    assertThatThrownBy(() -> both.onFailure(EVENT, failure)).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
  }
}
