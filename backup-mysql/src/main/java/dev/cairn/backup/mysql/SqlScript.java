package dev.cairn.backup.mysql;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL files of a dump: statements separated by a line holding only {@code ;;}, wrapped in
 * {@code DELIMITER ;;} / {@code DELIMITER ;} so the stock {@code mysql} client runs the file as it is,
 * even when a trigger or routine body contains semicolons.
 */
final class SqlScript {
  private static final String END = ";;";

  private SqlScript() {}

  /** Renders {@code statements} with a leading comment line. */
  static String render(String comment, List<String> statements) {
    StringBuilder sb = new StringBuilder();
    sb.append("-- ").append(comment.replace('\n', ' ')).append('\n');
    sb.append("DELIMITER ").append(END).append('\n');
    for (String s : statements) {
      sb.append(s.strip()).append('\n').append(END).append('\n');
    }
    sb.append("DELIMITER ;\n");
    return sb.toString();
  }

  /** Splits a script rendered by {@link #render} back into its statements. */
  static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.equals(END)) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
          out.add(s);
        }
        cur.setLength(0);
      } else if (cur.length() == 0 && (line.startsWith("-- ") || line.startsWith("DELIMITER ") || line.isBlank())) {
        continue;
      } else {
        cur.append(line).append('\n');
      }
    }
    if (!cur.toString().isBlank()) {
      throw new IllegalArgumentException("SQL script ends without ';;' after: " + abbreviate(cur.toString()));
    }
    return out;
  }

  static String abbreviate(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() <= 120 ? one : one.substring(0, 117) + "...";
  }
}
