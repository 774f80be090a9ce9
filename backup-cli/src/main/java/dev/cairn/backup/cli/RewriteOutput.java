package dev.cairn.backup.cli;

import dev.cairn.backup.SnapshotRewrite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code rewrite} and {@code repair snapshots} print: per snapshot, its new id and what was left out. */
final class RewriteOutput {
  private RewriteOutput() {}

  static void print(Output out, List<SnapshotRewrite> rewrites, boolean dryRun, boolean forget) {
    for (SnapshotRewrite r : rewrites) {
      String to = r.rewritten() == null ? "(dry run)" : r.rewritten().id().shortHex();
      if (r.existed()) {
        out.text("%s %s: rewritten before as %s%s", dryRun ? "would keep" : "kept", r.original().id().shortHex(), to,
            dryRun || !forget ? "" : "; the original is removed now");
        continue;
      }
      out.text("%s %s -> %s: %d entries (%s) left out%s", dryRun ? "would rewrite" : "rewrote",
          r.original().id().shortHex(), to, r.removedEntries(), Format.bytes(r.removedBytes()),
          dryRun || !forget ? "" : "; the original is removed");
      r.removed().forEach((path, why) -> out.text("  - %s: %s", path, why));
      if (r.removedPaths() > r.removed().size()) {
        out.text("  ... and %d more paths", r.removedPaths() - r.removed().size());
      }
    }
    if (rewrites.isEmpty()) {
      out.info("no snapshot holds anything to leave out; nothing changed");
    } else if (!dryRun && !forget) {
      // not 'run again with --forget': that would rewrite the originals a second time, next to the first
      out.info("the originals are kept; remove them with: cairn forget %s", String.join(" ",
          rewrites.stream().map(r -> r.original().id().shortHex()).toList()));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("dry_run", dryRun);
    summary.put("snapshots", rewrites.stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("original", r.original().id().hex());
      m.put("rewritten", r.rewritten() == null ? null : r.rewritten().id().hex());
      m.put("removed", r.removed());
      m.put("removed_paths", r.removedPaths());
      m.put("existed", r.existed());
      m.put("removed_entries", r.removedEntries());
      m.put("removed_bytes", r.removedBytes());
      return m;
    }).toList());
    out.message("summary", summary);
  }
}
