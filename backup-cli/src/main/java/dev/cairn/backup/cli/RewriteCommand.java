package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.SnapshotRewrite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn rewrite [SNAPSHOT...] --exclude GLOB [--forget] [-n]}: writes snapshots anew without
 * the entries the globs match, as restic's {@code rewrite} does.
 */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
    description = "Write snapshots anew without the entries --exclude matches (a secret or a large file backed up by"
        + " mistake). The new snapshots keep time, host and plan and are tagged 'rewrite'; --forget removes the"
        + " originals, and prune then frees what only they needed. Takes the exclusive lock.")
final class RewriteCommand extends CairnSubcommand {

  @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
      description = "'latest', snapshot ids or unique prefixes (default: every snapshot).")
  List<String> refs = new ArrayList<>();

  @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
      description = "Leave out entries matching GLOB (repeatable), as backup --exclude: relative to the source's root"
          + " when it contains '/', e.g. 'secrets/**', else a name in any directory, e.g. '*.key'. A directory goes"
          + " with everything below it.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--exclude-file", paramLabel = "FILE",
      description = "Read exclude globs from FILE, one per line ('#' starts a comment; repeatable).")
  List<Path> excludeFiles = new ArrayList<>();

  @Option(names = "--forget", description = "Remove each original snapshot once its new one is written.")
  boolean forget;

  @Option(names = {"-n", "--dry-run"}, description = "Show what would be left out; write nothing.")
  boolean dryRun;

  @Override
  int run() {
    List<String> all = new ArrayList<>(excludes);
    for (Path file : excludeFiles) {
      all.addAll(FileSourceOptions.lines(file, "--exclude-file"));
    }
    for (String glob : all) {
      dev.cairn.backup.internal.source.Glob.compile(glob); // a malformed glob is named as the user wrote it
    }
    all.replaceAll(FileSourceOptions::anywhere); // as backup --exclude: a name without '/' matches at any depth
    if (all.isEmpty()) {
      throw new ConfigurationException("nothing to leave out: give --exclude GLOB or --exclude-file FILE");
    }
    List<SnapshotRewrite> done;
    try (Repository repo = openRepository(); ProgressDisplay progress = progress("rewrite")) {
      done = repo.rewrite(refs, all, forget, dryRun, progress);
    }
    RewriteOutput.print(output(), done, dryRun, forget);
    return ExitCodes.OK;
  }
}
