package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cairn snapshots}: lists the repository's snapshots, oldest first. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
    description = "List snapshots, oldest first (--json: one JSON array).")
final class SnapshotsCommand extends CairnSubcommand {

  @Option(names = "--host", paramLabel = "HOST", description = "Only snapshots taken on HOST.")
  String host;

  @Option(names = "--tag", paramLabel = "TAG", split = ",", description = "Only snapshots with every TAG.")
  List<String> tags = new ArrayList<>();

  @Override
  int run() {
    List<Snapshot> snapshots;
    try (Repository repo = openRepository()) {
      snapshots = repo.snapshots().stream()
          .filter(s -> host == null || s.host().equals(host))
          .filter(s -> s.tags().containsAll(tags))
          .toList();
    }
    Output out = output();
    if (out.json()) {
      out.json(snapshots.stream().map(Json::snapshot).toList());
      return ExitCodes.OK;
    }
    String format = "%-9s %-19s  %-16s %-16s %12s  %s";
    out.text(format, "ID", "Time", "Host", "Tags", "Size", "Sources");
    out.text("%s", "-".repeat(100));
    for (Snapshot s : snapshots) {
      String flags = (s.complete() ? "" : " (incomplete)") + (s.checksPassed() ? "" : " (checks failed)");
      out.text(format, s.id().shortHex(), Format.time(s.time()), s.host(), String.join(",", s.tags()),
          Format.bytes(s.bytes()), String.join(" ", s.sources().stream().map(SnapshotSource::name).toList()) + flags);
    }
    out.text("%s", "-".repeat(100));
    out.text("%d snapshot%s", snapshots.size(), snapshots.size() == 1 ? "" : "s");
    return ExitCodes.OK;
  }
}
