package dev.cairn.backup.cli;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
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

  @Option(names = "--source", paramLabel = "NAME", description = "Only snapshots holding source NAME (e.g. srv/app).")
  String source;

  @Option(names = "--latest", paramLabel = "N",
      description = "Only the N newest snapshots of each host, plan and set of sources (restic's --latest).")
  Integer latest;

  @Override
  int run() {
    if (latest != null && latest < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--latest must be at least 1, got " + latest);
    }
    List<Snapshot> snapshots;
    try (Repository repo = openRepository()) {
      snapshots = repo.snapshots().stream()
          .filter(s -> host == null || s.host().equals(host))
          .filter(s -> s.tags().containsAll(tags))
          .filter(s -> source == null || s.source(source.replaceAll("^/+|/+$", "")).isPresent())
          .toList();
    }
    if (latest != null) {
      // the newest N of each group, listed oldest first as always
      Map<List<String>, List<Snapshot>> groups = new LinkedHashMap<>();
      for (Snapshot s : snapshots) {
        List<String> key = new ArrayList<>();
        key.add(s.host());
        key.add(s.plan());
        s.sources().stream().map(SnapshotSource::name).sorted().forEach(key::add);
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
      java.util.Set<Snapshot> keep = new java.util.HashSet<>();
      groups.values().forEach(g -> keep.addAll(g.subList(Math.max(0, g.size() - latest), g.size())));
      snapshots = snapshots.stream().filter(keep::contains).toList();
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
