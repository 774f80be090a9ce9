package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.spi.Storage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cairn} command: global options and the list of subcommands. Each subcommand is a class of
 * its own; adding one is one line in {@code subcommands}.
 */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Encrypted, compressed, deduplicated backups.",
      "",
      "The repository comes from --repo or CAIRN_REPOSITORY: a directory, or s3://bucket/prefix and"
          + " sftp://user@host/path. The passphrase comes from"
          + " --password-file, CAIRN_PASSWORD_FILE, CAIRN_PASSWORD, or is asked on the terminal.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure (also usage errors, damage found by verify)",
      "3:backup done, but some inputs were unreadable",
      "10:no repository at the given location",
      "11:repository locked by another operation",
      "12:wrong passphrase",
    })
public final class CairnCommand implements Callable<Integer> {
  /** The subcommands by name, in the order the usage help lists them. Adding one is one line here. */
  private static final Map<String, Class<?>> SUBCOMMANDS = byName(
      InitCommand.class,
      CopyCommand.class,
      BackupCommand.class,
      SnapshotsCommand.class,
      TagCommand.class,
      RewriteCommand.class,
      LsCommand.class,
      RestoreCommand.class,
      DumpCommand.class,
      DiffCommand.class,
      FindCommand.class,
      VerifyCommand.class,
      KeyCommand.class,
      StatsCommand.class,
      ForgetCommand.class,
      PruneCommand.class,
      UnlockCommand.class,
      RepairCommand.class,
      ListCommand.class,
      CatCommand.class,
      PlanCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class);
  /** {@code cairn generate-completion}: a bash/zsh completion script, {@code source <(cairn generate-completion)}. */
  private static final String COMPLETION = "generate-completion";
  static final String REPOSITORY_VARIABLE = "CAIRN_REPOSITORY";
  private static final int PACK_SIZE = 8 << 20;
  private static final long IN_FLIGHT_BYTES = 16 << 20;

  @Spec CommandSpec spec;

  @Option(names = {"-r", "--repo"}, scope = ScopeType.INHERIT, paramLabel = "REPO", order = 1,
      description = "Repository location: a directory, s3://… or sftp://… (default: $CAIRN_REPOSITORY).")
  String repository;

  @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE", order = 2,
      description = "Read the passphrase from the first line of FILE (default: $CAIRN_PASSWORD_FILE,"
          + " then $CAIRN_PASSWORD, then a prompt).")
  Path passwordFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, order = 3,
      description = "Write results and progress as JSON, one document per line, on stdout.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, order = 4,
      description = "Print no progress and no informational messages (for cron); results and errors stay.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, order = 5,
      description = "Print more detail, and stack traces with errors.")
  boolean verbose;

  private final CliEnvironment environment;
  private final UnaryOperator<Repository.Builder> repositorySettings;

  /** A command for the given environment. */
  public CairnCommand(CliEnvironment environment) {
    this(environment, UnaryOperator.identity());
  }

  /** Tests use cheap key derivation settings through {@code repositorySettings}; users never do. */
  CairnCommand(CliEnvironment environment, UnaryOperator<Repository.Builder> repositorySettings) {
    this.environment = environment;
    this.repositorySettings = repositorySettings;
  }

  /** Runs {@code cairn} with the process's environment and exits with its exit code. */
  public static void main(String[] args) {
    configureLogging(args);
    int code;
    try {
      code = newCommandLine(new CairnCommand(CliEnvironment.system()), args).execute(args);
    } catch (OutOfMemoryError e) {
      System.err.println("cairn: out of memory (" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
          + " MiB heap). The repository stays readable; a backup or copy commits nothing of its own, other commands"
          + " may have finished part of their work ('cairn snapshots' shows it). Give the JVM more, e.g."
          + " CAIRN_JAVA_OPTS='-XX:+UseSerialGC -Xmx1g' bin/cairn ...");
      code = ExitCodes.FAILURE;
    }
    System.exit(code);
  }

  /**
   * A picocli command line for {@code cairn} in {@code environment}, with Cairn's error handling and
   * exit codes. Set its out/err writers to capture output.
   */
  public static CommandLine newCommandLine(CliEnvironment environment) {
    return newCommandLine(new CairnCommand(environment));
  }

  static CommandLine newCommandLine(CairnCommand command) {
    return newCommandLine(command, null);
  }

  /**
   * A command line that will parse {@code args} (all subcommands if {@code args} is null). Building
   * picocli's model of every subcommand by reflection costs about 0.1 s of a short command's start-up,
   * so only the subcommands whose names occur as a whole argument are added: picocli recognises a
   * subcommand only by an argument equal to its name, so parsing is the same as with all of them.
   * Usage help, version and anything without a subcommand name get all of them.
   */
  static CommandLine newCommandLine(CairnCommand command, String[] args) {
    CommandLine commandLine = new CommandLine(command);
    Set<String> wanted = args == null ? null : subcommandNames(args);
    SUBCOMMANDS.forEach((name, sub) -> {
      if (wanted == null || wanted.contains(name)) {
        commandLine.addSubcommand(name, sub);
      }
    });
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    commandLine.setParameterExceptionHandler(ErrorHandler::usageError);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }

  /** The subcommand names among {@code args}, or null if all are needed (help, version, none named). */
  private static Set<String> subcommandNames(String[] args) {
    Set<String> named = new HashSet<>();
    for (String a : args) {
      if (a.equals("help") || a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")
          || a.equals(COMPLETION)) { // the completion script covers every command
        return null;
      }
      if (SUBCOMMANDS.containsKey(a)) {
        named.add(a);
      }
      for (Map.Entry<String, Class<?>> e : SUBCOMMANDS.entrySet()) {
        if (List.of(e.getValue().getAnnotation(Command.class).aliases()).contains(a)) {
          named.add(e.getKey()); // 'cairn check' is 'cairn verify', as restic users type it
        }
      }
    }
    return named.isEmpty() ? null : named;
  }

  private static Map<String, Class<?>> byName(Class<?>... commands) {
    Map<String, Class<?>> map = new LinkedHashMap<>();
    for (Class<?> c : commands) {
      map.put(c.getAnnotation(Command.class).name(), c);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    spec.commandLine().usage(err);
    err.println();
    err.println("cairn: a command is required, e.g. `cairn init` or `cairn backup PATH`");
    err.flush();
    return ExitCodes.FAILURE;
  }

  CliEnvironment environment() {
    return environment;
  }

  /**
   * A repository builder for {@code storage} with the command's settings. The CLI writes 8 MiB packs
   * and lets at most 16 MiB of chunks wait for packing: with the 192 MiB heap {@code bin/cairn} gives
   * the JVM, that keeps a backup well inside the heap and the process under ~300 MiB resident.
   */
  Repository.Builder repositoryBuilder(Storage storage) {
    return repositorySettings.apply(Repository.builder(storage).packSize(PACK_SIZE).maxInFlightBytes(IN_FLIGHT_BYTES));
  }

  /** The repository location from --repo or CAIRN_REPOSITORY, or {@code null}. */
  String repositoryLocation() {
    if (repository != null && !repository.isBlank()) {
      return repository;
    }
    return environment.variable(REPOSITORY_VARIABLE);
  }

  Output output() {
    CommandLine cl = spec.commandLine();
    return new Output(cl.getOut(), cl.getErr(), json, quiet, verbose);
  }

  Passphrases passphrases() {
    return new Passphrases(environment, passwordFile);
  }

  /** Keeps library logging to warnings (debug with --verbose) unless the user configured it. */
  private static void configureLogging(String[] args) {
    String key = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(key) == null) {
      boolean verbose = false;
      for (String arg : args) {
        verbose |= arg.equals("-v") || arg.equals("--verbose");
      }
      System.setProperty(key, verbose ? "debug" : "warn");
      if (!verbose) {
        // "WARN get 'data/…' in sftp://… failed (attempt 1 of 8): …; retrying in 240 ms", without the
        // thread and class names in front (--verbose keeps them)
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
      }
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }
}
