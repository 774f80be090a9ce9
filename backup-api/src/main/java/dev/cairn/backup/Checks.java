package dev.cairn.backup;

import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SyntaxChecker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Ready-made usability {@link Check}s to run before a backup, and the code that runs them. Every check
 * made here aborts the backup on failure; call {@link Check#onFailure(Check.OnFailure)} on it to back up
 * anyway and mark the snapshot instead.
 *
 * <pre>{@code
 * List<Check> checks = List.of(
 *     Checks.yamlParses(Path.of("/etc/ansible/group_vars/all.yaml")),
 *     Checks.command(Path.of("/etc/ansible"), Duration.ofMinutes(2),
 *         "ansible-playbook", "--syntax-check", "infra.yaml"),
 *     Checks.sourceReachable(mysql).onFailure(Check.OnFailure.MARK));
 * }</pre>
 */
public final class Checks {
  private Checks() {}

  /**
   * A check that every file parses as YAML (all documents of a multi-document file). Its failure
   * message names the file, line and column. Needs {@code dev.cairn:backup-plan} (the YAML parser) on
   * the class path.
   *
   * @throws ConfigurationException if no YAML checker is on the class path
   * @throws IllegalArgumentException if no file is given
   */
  public static Check yamlParses(Path... files) {
    return fileParses("yaml", files);
  }

  /**
   * A check that every file parses in {@code format}, by a {@link SyntaxChecker} found through
   * {@link ServiceLoader}.
   *
   * @throws ConfigurationException if no checker for {@code format} is on the class path
   */
  public static Check fileParses(String format, Path... files) {
    Objects.requireNonNull(format, "format");
    if (files == null || files.length == 0) {
      throw new IllegalArgumentException("give at least one file to check");
    }
    String fmt = format.toLowerCase(Locale.ROOT);
    SyntaxChecker checker = null;
    for (SyntaxChecker c : ServiceLoader.load(SyntaxChecker.class, Checks.class.getClassLoader())) {
      if (c.formats().contains(fmt)) {
        checker = c;
        break;
      }
    }
    if (checker == null) {
      throw new ConfigurationException("no " + fmt + " parser for the check on " + Arrays.toString(files)
          + ": add dev.cairn:backup-plan to the class path");
    }
    List<Path> list = List.of(files);
    SyntaxChecker found = checker;
    String name = fmt + ":" + list.stream().map(Path::toString).collect(Collectors.joining(","));
    return of(name, () -> {
      for (Path f : list) {
        found.check(fmt, f);
      }
      return null;
    });
  }

  /**
   * A check that runs an external command, which must exit 0 within {@code timeout}, in the current
   * directory. See {@link #command(Path, Duration, String...)}.
   */
  public static Check command(Duration timeout, String... argv) {
    return command(null, timeout, argv);
  }

  /**
   * A check that runs an external command in {@code directory}, e.g. {@code ansible-playbook
   * --syntax-check infra.yaml}. It fails if the command cannot start, exits non-zero, or runs longer
   * than {@code timeout} (it is then killed with its children); the message ends with the last lines of
   * its output (stdout and stderr).
   *
   * @param directory working directory, or {@code null} for the current one
   * @throws IllegalArgumentException if {@code argv} is empty or {@code timeout} is not positive
   */
  public static Check command(Path directory, Duration timeout, String... argv) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("command check timeout must be positive, got " + timeout);
    }
    if (argv == null || argv.length == 0) {
      throw new IllegalArgumentException("command check needs a command, e.g. ansible-playbook --syntax-check infra.yaml");
    }
    List<String> command = List.of(argv);
    String name = "command:" + String.join(" ", command);
    return of(name, () -> {
      ExternalCommand.run(directory, timeout, command, java.util.Map.of());
      return null;
    });
  }

  /** A check that calls {@link Source#check()}: server reachable, credentials accepted, root present. */
  public static Check sourceReachable(Source source) {
    Objects.requireNonNull(source, "source");
    return of("reachable:" + source.name(), () -> {
      source.check();
      return null;
    });
  }

  /**
   * A custom check: passes when {@code body} returns (any value), fails with the message of what it
   * throws.
   */
  public static Check of(String name, Callable<?> body) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(body, "body");
    if (name.isBlank()) {
      throw new IllegalArgumentException("check name must not be blank");
    }
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void run() throws Exception {
        body.call();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /**
   * Runs {@code checks} one after the other and records each outcome; never throws for a failing check.
   *
   * @param clock measures each check's duration
   */
  public static List<CheckOutcome> runAll(List<? extends Check> checks, Clock clock) {
    List<CheckOutcome> outcomes = new ArrayList<>(checks.size());
    for (Check c : checks) {
      outcomes.add(run(c, clock));
    }
    return List.copyOf(outcomes);
  }

  /** Runs one check and records its outcome; never throws for a failing check. */
  public static CheckOutcome run(Check check, Clock clock) {
    Instant start = clock.instant();
    String failure = null;
    try {
      check.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (Exception | LinkageError e) {
      failure = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
    }
    return new CheckOutcome(check.name(), failure == null, failure, check.onFailure(),
        Duration.between(start, clock.instant()));
  }

  /**
   * Throws if any outcome failed under {@link Check.OnFailure#ABORT}.
   *
   * @throws BackupException naming every aborting check that failed and why; no snapshot should be written
   */
  public static void requireNoAbort(List<CheckOutcome> outcomes) {
    List<String> failed = outcomes.stream()
        .filter(o -> !o.passed() && o.onFailure() == Check.OnFailure.ABORT)
        .map(o -> o.name() + ": " + o.message())
        .collect(Collectors.toList());
    if (!failed.isEmpty()) {
      throw new BackupException("usability check failed, backup aborted, no snapshot written: "
          + String.join("; ", failed)
          + " (fix the cause, or set the check's policy to MARK to back up anyway)");
    }
  }
}
