package dev.cairn.backup.cli;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cairn backup}: backs up files, directories or a command's output into the repository. Each
 * kind of source is an option group of its own ({@link SourceOptions}); a new kind is one more mixin
 * in {@link #sourceOptions()}.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = "Back up files, directories, a command's output, a MySQL/MariaDB server or an InfluxDB. Exit code 3 if some files could not be read.")
final class BackupCommand extends CairnSubcommand {

  @Mixin FileSourceOptions files;
  @Mixin CommandSourceOptions command;
  @Mixin MySqlSourceOptions mysql;
  @Mixin InfluxSourceOptions influx;

  @Option(names = "--tag", paramLabel = "TAG", split = ",",
      description = "Tag the snapshot with TAG (repeatable, or comma-separated).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--host", paramLabel = "HOST",
      description = "Record HOST as the snapshot's host (default: this machine's host name).")
  String host;

  List<SourceOptions> sourceOptions() {
    return List.of(files, command, mysql, influx);
  }

  @Option(names = "--force",
      description = "Read every file again instead of trusting size, time and inode to tell it unchanged (a tool that"
          + " rewrote a file and kept its time); no parent is recorded.")
  boolean force;

  @Option(names = "--parent", paramLabel = "SNAPSHOT",
      description = "Take unchanged files from this snapshot ('latest', an id or a prefix) instead of the newest of"
          + " the same host and source.")
  String parent;

  @Option(names = {"-n", "--dry-run"},
      description = "Read, chunk and encrypt everything and report what would be added, but write nothing.")
  boolean dryRun;

  @Override
  java.util.Map<String, java.util.List<String>> dependentOptions() {
    return java.util.Map.of("--stdin-filename", java.util.List.of("--stdin", "--stdin-from-command"));
  }

  @Override
  int run() {
    List<Source> sources = new ArrayList<>();
    command.environment = root().environment();
    for (SourceOptions options : sourceOptions()) {
      sources.addAll(options.sources());
    }
    if (sources.isEmpty()) {
      throw new ConfigurationException("nothing to back up: give one or more PATHs, --stdin, --stdin-from-command CMD, --mysql JDBC-URL or --influx URL");
    }
    if (force && parent != null) {
      throw new ConfigurationException("give --force (read everything, no parent) or --parent SNAPSHOT, not both");
    }
    Output out = output();
    BackupReport report;
    try (Repository repo = dryRun ? openRepository(Storages::dryRun) : openRepository();
        ProgressDisplay progress = progress("backup")) {
      progress.estimateTotals(files.allPaths());
      BackupOptions.Builder options = BackupOptions.builder().tags(tags).progress(progress);
      if (host != null) {
        options.host(host);
      }
      options.force(force).parent(parent);
      report = repo.backup(sources, options.build());
    } catch (SourceException e) {
      throw command.explain(e);
    }
    for (String warning : report.warnings()) {
      out.warn("%s", warning);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("snapshot_id", report.snapshotId().hex());
    summary.put("files", report.files());
    summary.put("bytes_read", report.bytesRead());
    summary.put("bytes_total", report.bytesTotal());
    summary.put("bytes_new", report.bytesNew());
    summary.put("bytes_stored", report.bytesStored());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    summary.put("complete", report.snapshot().complete());
    summary.put("warnings", report.warnings());
    summary.put("dry_run", dryRun);
    out.message("summary", summary);
    out.info("files: %d, %s in total, %s read (unchanged files are not read again)",
        report.files(), Format.bytes(report.bytesTotal()), Format.bytes(report.bytesRead()));
    out.info("new data: %s, stored %s after compression and encryption, in %s",
        Format.bytes(report.bytesNew()), Format.bytes(report.bytesStored()), Format.duration(report.duration()));
    if (dryRun) {
      out.info("dry run: nothing was written; a backup would add %s (stored) to the repository",
          Format.bytes(report.bytesStored()));
    } else {
      out.info("snapshot %s saved%s", report.snapshotId().shortHex(),
          report.warnings().isEmpty() ? "" : " (incomplete: " + report.warnings().size() + " inputs could not be read)");
    }
    return report.warnings().isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
  }
}
