package dev.cairn.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Callbacks around a plan's backups: before, after, and on failure (e.g. stop a service, notify,
 * page someone). Implementations override what they need; all methods default to doing nothing.
 *
 * <ul>
 *   <li>{@link #beforeBackup} runs before the usability checks and before any data is read; if it
 *       throws, the backup is aborted, no snapshot is written and {@link #onFailure} is called.
 *   <li>{@link #afterBackup} runs after the snapshot is committed; if it throws, the snapshot stays and
 *       the failure is logged and reported as a warning.
 *   <li>{@link #onFailure} runs when the backup fails for any reason (failed check, source error,
 *       storage error, a throwing {@code beforeBackup}); what it throws is added as suppressed to the
 *       original failure.
 * </ul>
 *
 * <p>Hooks are called on the thread running the backup and must be thread-safe if a plan is shared.
 */
public interface PlanHooks {

  /** Hooks that do nothing. */
  PlanHooks NONE = new PlanHooks() {};

  /** Called before the backup reads any data; throwing aborts the backup. */
  default void beforeBackup(HookEvent event) throws Exception {}

  /** Called after the snapshot is committed; {@code event.snapshot()} is its id. */
  default void afterBackup(HookEvent event) throws Exception {}

  /** Called when the backup failed; {@code failure} is why. */
  default void onFailure(HookEvent event, Throwable failure) throws Exception {}

  /**
   * Hooks that run external commands, as YAML plans configure them. Each command gets the environment
   * variables {@code CAIRN_PLAN}, {@code CAIRN_OPERATION}, {@code CAIRN_SNAPSHOT}, {@code CAIRN_TIME},
   * one {@code CAIRN_<DETAIL>} per detail (upper case), and, for {@code onFailure}, {@code CAIRN_ERROR};
   * it must exit 0 within {@code timeout}.
   *
   * @param before argv run before the backup, or an empty list
   * @param after argv run after the backup, or an empty list
   * @param onFailure argv run when the backup fails, or an empty list
   * @param directory working directory, or {@code null} for the current one
   */
  static PlanHooks commands(List<String> before, List<String> after, List<String> onFailure, Path directory,
      Duration timeout) {
    List<String> b = List.copyOf(before);
    List<String> a = List.copyOf(after);
    List<String> f = List.copyOf(onFailure);
    Objects.requireNonNull(timeout, "timeout");
    return new PlanHooks() {
      @Override
      public void beforeBackup(HookEvent event) throws Exception {
        run(b, event, null);
      }

      @Override
      public void afterBackup(HookEvent event) throws Exception {
        run(a, event, null);
      }

      @Override
      public void onFailure(HookEvent event, Throwable failure) throws Exception {
        run(f, event, failure);
      }

      private void run(List<String> argv, HookEvent event, Throwable failure) throws Exception {
        if (argv.isEmpty()) {
          return;
        }
        Map<String, String> env = new HashMap<>();
        env.put("CAIRN_PLAN", event.plan());
        env.put("CAIRN_OPERATION", event.operation());
        env.put("CAIRN_SNAPSHOT", event.snapshot());
        env.put("CAIRN_TIME", event.time().toString());
        event.details().forEach((k, v) ->
            env.put("CAIRN_" + k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), v));
        if (failure != null) {
          env.put("CAIRN_ERROR", String.valueOf(failure.getMessage()));
        }
        ExternalCommand.run(directory, timeout, argv, env);
      }
    };
  }

  /** Hooks that call each of {@code hooks} in order (on failure, all are called even if one throws). */
  static PlanHooks compose(List<? extends PlanHooks> hooks) {
    List<PlanHooks> all = List.copyOf(hooks);
    return new PlanHooks() {
      @Override
      public void beforeBackup(HookEvent event) throws Exception {
        for (PlanHooks h : all) {
          h.beforeBackup(event);
        }
      }

      @Override
      public void afterBackup(HookEvent event) throws Exception {
        for (PlanHooks h : all) {
          h.afterBackup(event);
        }
      }

      @Override
      public void onFailure(HookEvent event, Throwable failure) throws Exception {
        List<Exception> thrown = new ArrayList<>();
        for (PlanHooks h : all) {
          try {
            h.onFailure(event, failure);
          } catch (Exception e) {
            thrown.add(e);
          }
        }
        if (!thrown.isEmpty()) {
          Exception first = thrown.get(0);
          thrown.subList(1, thrown.size()).stream().filter(t -> t != first).distinct().forEach(first::addSuppressed);
          throw first;
        }
      }
    };
  }
}
