package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import java.util.Comparator;
import java.util.Optional;

/**
 * How the CLI names paths inside a snapshot, the same way a restore lays them out: a snapshot with one
 * source shows its entry paths as they are ({@code text/app.log}); with several sources each path is
 * prefixed by its source's name ({@code srv/app/text/app.log}). Given paths may also carry the source
 * name (or the original absolute path) in front.
 */
final class SnapshotPaths {
  private SnapshotPaths() {}

  /** A path selected in a snapshot: the source and the entry path inside it ({@code ""} for all). */
  record Selection(String source, String path) {}

  /** The path shown for entry {@code path} of source {@code source}. */
  static String display(Snapshot snapshot, String source, String path) {
    return snapshot.sources().size() == 1 ? path : source + "/" + path;
  }

  /**
   * Which source and entry path {@code given} means in {@code snapshot}, reading the snapshot where the
   * path is ambiguous: with one source, a path that starts with the source's name may also be a path as
   * 'cairn ls' shows it (a backup of / has a source named 'root' and shows /root/.ssh as 'root/.ssh');
   * the entry that is there as shown wins.
   */
  static Selection select(dev.cairn.backup.Repository repo, Snapshot snapshot, String given) {
    Selection s = select(snapshot, given);
    String p = given.replaceAll("^/+|/+$", "");
    if (snapshot.sources().size() == 1 && !p.isEmpty() && !given.startsWith("/") && !s.path().equals(p)
        && !repo.entries(snapshot, s.source(), p).isEmpty()) {
      return new Selection(s.source(), p);
    }
    return s;
  }

  /** Which source and entry path {@code given} means in {@code snapshot}. */
  static Selection select(Snapshot snapshot, String given) {
    String p = given.replaceAll("^/+|/+$", "");
    Optional<SnapshotSource> named = snapshot.sources().stream()
        .filter(s -> p.equals(s.name()) || p.startsWith(s.name() + "/"))
        .max(Comparator.comparingInt(s -> s.name().length()));
    if (named.isPresent()) {
      String name = named.get().name();
      return new Selection(name, p.length() == name.length() ? "" : p.substring(name.length() + 1));
    }
    if (snapshot.sources().size() == 1) {
      return new Selection(snapshot.sources().get(0).name(), p);
    }
    throw new BackupException("no source of snapshot " + snapshot.id().shortHex() + " holds '" + given
        + "': start the path with one of its sources " + snapshot.sources().stream().map(SnapshotSource::name).toList());
  }
}
