package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn restore SNAPSHOT|latest --target DIR}: restores a snapshot, every chunk checked as it is
 * read and recorded verification data compared. A snapshot with one source is restored straight into
 * DIR; with several, each source goes into DIR/its-name.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Restore a snapshot (or chosen paths of it) into a directory; every chunk is verified.")
final class RestoreCommand extends CairnSubcommand {

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id or a unique prefix of one.")
  String snapshot;

  @Option(names = {"-t", "--target"}, paramLabel = "DIR",
      description = "Directory to restore into; must be empty or absent unless --overwrite. Required unless"
          + " --mysql or --influx restore the snapshot's databases.")
  Path target;

  @Option(names = {"-i", "--include"}, paramLabel = "PATH",
      description = "Restore only PATH and what is under it (repeatable; paths as 'cairn ls' shows them).")
  List<String> includes = new ArrayList<>();

  @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
      description = "Do not restore entries matching GLOB, nor what is under them (repeatable): relative to each"
          + " source's root when it contains '/', e.g. 'cache/**', else a name in any directory, e.g. '*.tmp'.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--include-file", paramLabel = "FILE",
      description = "Read more --include PATHs from FILE, one per line ('#' starts a comment; repeatable).")
  List<Path> includeFiles = new ArrayList<>();

  @Option(names = "--exclude-file", paramLabel = "FILE",
      description = "Read more --exclude GLOBs from FILE, one per line ('#' starts a comment; repeatable).")
  List<Path> excludeFiles = new ArrayList<>();

  @Option(names = "--overwrite", description = "Allow a non-empty target directory, replacing files there;"
      + " files already holding the snapshot's content (checked chunk by chunk) are kept, so a restore that"
      + " stopped part-way, run again with --overwrite, reads only what is missing.")
  boolean overwrite;

  @Option(names = "--host", paramLabel = "HOST", description = "With 'latest': the newest snapshot taken on HOST.")
  String host;

  @Mixin DatabaseRestoreOptions databases;

  @Override
  java.util.Map<String, java.util.List<String>> dependentOptions() {
    return java.util.Map.of("--database", java.util.List.of("--mysql"), "--influx-db", java.util.List.of("--influx"),
        "--allow-non-empty", java.util.List.of("--mysql", "--influx"));
  }

  @Override
  int run() throws IOException {
    if (target == null && !databases.given()) {
      throw new ConfigurationException("nowhere to restore to: give --target DIR for files, or --mysql JDBC-URL /"
          + " --influx URL to restore the snapshot's databases into a server");
    }
    if (target != null && !overwrite && !isEmptyOrAbsent(target)) {
      throw new RestoreException("the target directory " + target + " is not empty: choose an empty or new"
          + " directory, or pass --overwrite to replace files in it");
    }
    if (databases.given()) {
      if (!includes.isEmpty() || !excludes.isEmpty() || !includeFiles.isEmpty() || !excludeFiles.isEmpty()) {
        // the database restore takes every file source whole: never restore more than was asked for
        throw new ConfigurationException("--include, --exclude, --include-file and --exclude-file choose files, and"
            + " a restore into a database server restores every file source of the snapshot whole; restore the"
            + " files in a second 'cairn restore --target DIR' without --mysql/--influx, and choose databases"
            + " with --database");
      }
      return new DatabaseRestore(this, databases).run(target, overwrite);
    }
    Output out = output();
    List<RestoreReport> reports = new ArrayList<>();
    Snapshot chosen;
    try (Repository repo = openRepository(); ProgressDisplay progress = progress("restore")) {
      chosen = resolve(repo);
      for (RestoreRequest request : requests(repo, chosen, progress)) {
        reports.add(repo.restore(request));
      }
    }
    List<RestoreResult> results = reports.stream().flatMap(r -> r.results().stream()).toList();
    long entries = reports.stream().mapToLong(RestoreReport::entries).sum();
    long bytes = reports.stream().mapToLong(RestoreReport::bytes).sum();
    long keptFiles = results.stream().mapToLong(RestoreResult::unchangedFiles).sum();
    long keptBytes = results.stream().mapToLong(RestoreResult::unchangedBytes).sum();
    Duration duration = reports.stream().map(RestoreReport::duration).reduce(Duration.ZERO, Duration::plus);
    boolean verified = reports.stream().allMatch(RestoreReport::verified);

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("snapshot_id", chosen.id().hex());
    summary.put("target", target.toString());
    summary.put("entries", entries);
    summary.put("bytes", bytes);
    summary.put("unchanged_files", keptFiles);
    summary.put("unchanged_bytes", keptBytes);
    summary.put("duration_seconds", duration.toMillis() / 1000.0);
    summary.put("verified", verified);
    summary.put("results", results.stream().map(RestoreCommand::result).toList());
    out.message("summary", summary);

    for (RestoreResult result : results) {
      for (VerificationResult v : result.results()) {
        if (!v.ok()) {
          out.warn("verification of %s in %s: %s %s", v.item(), result.source(), v.status(), v.message());
        } else {
          out.detail("verified %s: %d, %s", v.item(), v.actualCount(), v.actualChecksum());
        }
      }
    }
    out.info("restored snapshot %s into %s: %d entries, %s in %s%s%s", chosen.id().shortHex(), target, entries,
        Format.bytes(bytes), Format.duration(duration),
        keptFiles == 0 ? "" : "; " + keptFiles + " files (" + Format.bytes(keptBytes)
            + ") were already there with the snapshot's content and were kept",
        verified ? "; every chunk and recorded checksum verified" : "");
    if (!verified) {
      throw new RestoreException("the restored data of snapshot " + chosen.id().shortHex()
          + " does not match what was recorded at backup time (see the warnings above); run 'cairn verify --read-data'");
    }
    return ExitCodes.OK;
  }

  Snapshot resolve(Repository repo) {
    return resolve(repo, snapshot, host, location());
  }

  /** The snapshot {@code ref} names; {@code latest} with a {@code host} is that host's newest. */
  static Snapshot resolve(Repository repo, String ref, String host, String location) {
    if (host != null && ref.trim().equalsIgnoreCase("latest")) { // as Repository.snapshot reads 'latest'
      return repo.snapshots().stream().filter(s -> s.host().equals(host))
          .max(Comparator.comparing(Snapshot::time))
          .orElseThrow(() -> new BackupException("no snapshot of host '" + host + "' in " + location
              + "; list them with 'cairn snapshots'"));
    }
    return repo.snapshot(ref);
  }

  /** One request, or with --include over several sources one per source (each into TARGET/source). */
  private List<RestoreRequest> requests(Repository repo, Snapshot chosen, ProgressDisplay progress) {
    List<String> includes = new ArrayList<>(this.includes);
    for (Path file : includeFiles) {
      List<String> listed = FileSourceOptions.lines(file, "--include-file");
      if (listed.isEmpty()) {
        // restoring everything instead of the paths meant would be a surprise, and a slow one
        throw new ConfigurationException("--include-file " + file + " lists no path; nothing was restored");
      }
      includes.addAll(listed);
    }
    if (includes.isEmpty()) {
      return List.of(base(chosen, progress).destination(target).build());
    }
    Map<String, List<String>> bySource = new LinkedHashMap<>();
    for (String include : includes) {
      SnapshotPaths.Selection s = SnapshotPaths.select(repo, chosen, include);
      bySource.computeIfAbsent(s.source(), k -> new ArrayList<>()).add(s.path());
    }
    List<RestoreRequest> requests = new ArrayList<>();
    bySource.forEach((source, paths) -> {
      RestoreRequest.Builder b = base(chosen, progress).source(source)
          .destination(chosen.sources().size() == 1 ? target : target.resolve(source));
      if (!paths.contains("")) {
        b.paths(paths);
      }
      requests.add(b.build());
    });
    return requests;
  }

  private RestoreRequest.Builder base(Snapshot chosen, ProgressDisplay progress) {
    List<String> excludes = new ArrayList<>(this.excludes);
    for (Path file : excludeFiles) {
      excludes.addAll(FileSourceOptions.lines(file, "--exclude-file"));
    }
    return RestoreRequest.builder().snapshot(chosen.id()).overwrite(overwrite).progress(progress)
        .exclude(excludes.stream().map(FileSourceOptions::anywhere).toArray(String[]::new));
  }

  static Map<String, Object> result(RestoreResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", r.source());
    m.put("destination", r.destination());
    m.put("entries", r.entries());
    m.put("bytes", r.bytes());
    m.put("unchanged_files", r.unchangedFiles());
    m.put("unchanged_bytes", r.unchangedBytes());
    m.put("verified", r.verified());
    m.put("verifications", r.results().stream().map(v -> Map.of(
        "item", v.item(), "status", v.status().name(), "message", v.message(),
        "expected_count", v.expectedCount(), "actual_count", v.actualCount(),
        "expected_checksum", v.expectedChecksum(), "actual_checksum", v.actualChecksum())).toList());
    return m;
  }

  private static boolean isEmptyOrAbsent(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      throw new RestoreException("the target " + dir + " exists and is not a directory: choose a directory");
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.findAny().isEmpty();
    }
  }
}
