package dev.cairn.backup.internal.retention;

import dev.cairn.backup.RetentionPlan;
import dev.cairn.backup.RetentionPlan.Decision;
import dev.cairn.backup.RetentionPlan.Group;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.SnapshotSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Renders a {@link RetentionPlan} as the text table of {@code forget --dry-run}. */
public final class RetentionTable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx");

  private RetentionTable() {}

  /** See {@link RetentionPlan#render()}. */
  public static String render(RetentionPlan plan) {
    StringBuilder out = new StringBuilder();
    out.append("Applying policy: ").append(plan.policy()).append('\n');
    ZoneId zone = plan.policy().zone();
    for (Group g : plan.groups()) {
      out.append('\n').append("snapshots of ").append(g.key().describe()).append(":\n");
      List<Decision> keep = oldestFirst(g.decisions(), true);
      List<Decision> remove = oldestFirst(g.decisions(), false);
      section(out, "keep", keep, zone, true);
      section(out, "remove", remove, zone, false);
    }
    long kept = plan.keep().size();
    long removed = plan.remove().size();
    out.append('\n').append(kept).append(kept == 1 ? " snapshot" : " snapshots").append(" kept, ")
        .append(removed).append(removed == 1 ? " snapshot" : " snapshots").append(" to remove\n");
    return out.toString();
  }

  private static List<Decision> oldestFirst(List<Decision> newestFirst, boolean keep) {
    List<Decision> l = new ArrayList<>(newestFirst.stream().filter(d -> d.keep() == keep).toList());
    Collections.reverse(l);
    return l;
  }

  private static void section(StringBuilder out, String verb, List<Decision> rows, ZoneId zone, boolean withReasons) {
    out.append(verb).append(' ').append(rows.size()).append(rows.size() == 1 ? " snapshot" : " snapshots");
    if (rows.isEmpty()) {
      out.append('\n');
      return;
    }
    out.append(":\n");
    List<String[]> cells = new ArrayList<>();
    cells.add(withReasons
        ? new String[] {"ID", "Time", "Host", "Tags", "Sources", "Reasons"}
        : new String[] {"ID", "Time", "Host", "Tags", "Sources"});
    for (Decision d : rows) {
      Snapshot s = d.snapshot();
      String id = s.id().shortHex();
      String time = TIME.format(s.time().atZone(zone));
      String tags = String.join(",", s.tags());
      String sources = String.join(",", s.sources().stream().map(SnapshotSource::name).toList());
      cells.add(withReasons
          ? new String[] {id, time, s.host(), tags, sources, String.join(", ", d.reasons())}
          : new String[] {id, time, s.host(), tags, sources});
    }
    int[] widths = new int[cells.get(0).length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int r = 0; r < cells.size(); r++) {
      appendRow(out, cells.get(r), widths);
      if (r == 0) {
        String[] rule = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
          rule[i] = "-".repeat(widths[i]);
        }
        appendRow(out, rule, widths);
      }
    }
  }

  private static void appendRow(StringBuilder out, String[] row, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      line.append(row[i]);
      if (i < row.length - 1) {
        line.append(" ".repeat(widths[i] - row[i].length()));
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
