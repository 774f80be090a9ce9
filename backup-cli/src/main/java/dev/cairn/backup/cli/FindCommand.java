package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn find PATTERN...}: which snapshots hold files or directories matching a glob, newest
 * snapshot first, as restic's {@code find} answers "when did this file still exist?".
 */
@Command(name = "find", mixinStandardHelpOptions = true,
    description = "Find files and directories by name or path in every snapshot (newest first), or in those given.")
final class FindCommand extends CairnSubcommand {

  @Parameters(arity = "1..*", paramLabel = "PATTERN",
      description = "A glob (*, ?, [abc], {a,b}; ** spans directories). Without '/' it matches an entry's name"
          + " (all.yaml, *.sql); with '/' its path inside the source (group_vars/*.yaml, **/tasks/main.yaml).")
  List<String> patterns;

  @Option(names = {"-s", "--snapshot"}, paramLabel = "SNAPSHOT",
      description = "Only this snapshot (repeatable; 'latest', an id or a unique prefix).")
  List<String> snapshots = new ArrayList<>();

  @Option(names = "--host", paramLabel = "HOST", description = "Only snapshots taken on HOST.")
  String host;

  @Option(names = {"-i", "--ignore-case"}, description = "Match letters regardless of case.")
  boolean ignoreCase;

  @Option(names = {"-l", "--long"}, description = "Show type, mode, size and modification time.")
  boolean longFormat;

  @Override
  int run() {
    BiPredicate<String, EntryMetadata> match = matcher();
    Output out = output();
    long[] found = new long[2];
    try (Repository repo = openRepository()) {
      List<Snapshot> chosen = new ArrayList<>();
      if (snapshots.isEmpty()) {
        chosen.addAll(repo.snapshots());
      } else {
        for (String ref : snapshots) {
          chosen.add(repo.snapshot(ref));
        }
      }
      chosen.removeIf(s -> host != null && !s.host().equals(host));
      List<Snapshot> distinct = chosen.stream().distinct().collect(java.util.stream.Collectors.toCollection(ArrayList::new));
      chosen.clear();
      chosen.addAll(distinct);
      chosen.sort(Comparator.comparing(Snapshot::time).reversed());
      Snapshot[] current = {null};
      repo.find(chosen, match, f -> {
        String shown = SnapshotPaths.display(f.snapshot(), f.source(), f.entry().path());
        if (current[0] != f.snapshot()) {
          current[0] = f.snapshot();
          found[1]++;
          out.text("%sfound in snapshot %s from %s (host %s)", found[0] == 0 ? "" : "\n", f.snapshot().id().shortHex(),
              Format.time(f.snapshot().time()), f.snapshot().host());
        }
        found[0]++;
        EntryMetadata e = f.entry();
        if (out.json()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("message_type", "match");
          m.put("snapshot", f.snapshot().id().hex());
          m.put("source", f.source());
          m.putAll(Json.entry(shown, e));
          out.json(m);
        } else if (longFormat) {
          out.text("%s", LsCommand.longLine(e, shown));
        } else {
          out.text("%s", e.type() == EntryType.DIRECTORY ? shown + "/" : shown);
        }
      });
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("matches", found[0]);
      summary.put("snapshots_with_matches", found[1]);
      summary.put("snapshots_searched", chosen.size());
      out.message("summary", summary);
      if (found[0] == 0) {
        out.info("no entry matching %s in %d snapshots", patterns, chosen.size());
      }
    }
    return ExitCodes.OK;
  }

  /**
   * One predicate for all patterns: any of them matches the name, or the path when it has a '/' (the
   * path inside the source, or as 'ls' shows it with the source's name in front).
   */
  private BiPredicate<String, EntryMetadata> matcher() {
    List<BiPredicate<String, EntryMetadata>> parts = new ArrayList<>();
    for (String pattern : patterns) {
      String p = pattern.replaceAll("^/+|/+$", "");
      if (p.isEmpty()) {
        throw new BackupException("empty pattern '" + pattern + "': give a name or a path glob, e.g. '*.yaml'");
      }
      boolean byPath = p.contains("/");
      // '**' spans zero or more directories: '**/tasks/main.yaml' also matches 'tasks/main.yaml' at the
      // root, 'a/**/b' also 'a/b' (a Java glob's '**/' needs at least one directory before the '/')
      java.util.LinkedHashSet<String> variants = new java.util.LinkedHashSet<>();
      variants.add(p);
      String inner = p.replace("/**/", "/");
      variants.add(inner);
      for (String v : List.of(p, inner)) {
        if (v.startsWith("**/")) {
          variants.add(v.substring(3));
        }
      }
      List<PathMatcher> ms = new ArrayList<>();
      try {
        for (String v : variants) {
          ms.add(FileSystems.getDefault().getPathMatcher("glob:" + (ignoreCase ? v.toLowerCase(Locale.ROOT) : v)));
        }
      } catch (PatternSyntaxException e) {
        throw new BackupException("pattern '" + pattern + "' is not a valid glob: " + e.getDescription());
      }
      PathMatcher m = x -> ms.stream().anyMatch(one -> one.matches(x));
      parts.add((source, e) -> {
        String path = e.path();
        if (!byPath) {
          return matches(m, path.substring(path.lastIndexOf('/') + 1));
        }
        // the path as ls shows it, with the source's name in front, only when the pattern starts with it
        boolean named = ignoreCase ? p.toLowerCase(Locale.ROOT).startsWith(source.toLowerCase(Locale.ROOT) + "/")
            : p.startsWith(source + "/");
        return matches(m, path) || (named && matches(m, source + "/" + path));
      });
    }
    return (source, e) -> parts.stream().anyMatch(p -> p.test(source, e));
  }

  private boolean matches(PathMatcher m, String s) {
    return m.matches(Path.of(ignoreCase ? s.toLowerCase(Locale.ROOT) : s));
  }
}
