package dev.cairn.backup.internal.source;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A path glob relative to a source root: {@code *} matches within one path segment, {@code ?} one
 * character of a segment, {@code **} any number of segments (also none), {@code [abc]} a character
 * class. A glob that matches a directory also matches everything under it.
 */
public final class Glob {
  private final String text;
  private final Pattern pattern;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  /** Compiles {@code glob}; a leading {@code /} or {@code ./} and a trailing {@code /} are ignored. */
  public static Glob compile(String glob) {
    String g = glob.trim();
    while (g.startsWith("./")) {
      g = g.substring(2);
    }
    g = g.replaceAll("^/+|/+$", "");
    if (g.isEmpty()) {
      throw new IllegalArgumentException("empty glob '" + glob + "'");
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
        re.append(slashAfter ? "(?:.*/)?" : ".*");
        i += slashAfter ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = g.indexOf(']', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed '[' in glob '" + glob + "'");
        }
        // '[', '&' and '\\' are literal in a glob's class but have a meaning in a Java regex class
        String cls = g.substring(i + 1, end).replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&");
        re.append('[').append(cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
        i = end;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL)); // a newline is a name character
  }

  /** Compiles every glob of {@code globs}. */
  public static List<Glob> compileAll(List<String> globs) {
    return globs.stream().map(Glob::compile).toList();
  }

  /** True if {@code path} (relative, {@code /}-separated) or one of its ancestors matches. */
  public boolean matches(String path) {
    if (pattern.matcher(path).matches()) {
      return true;
    }
    for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
      if (pattern.matcher(path.substring(0, i)).matches()) {
        return true;
      }
    }
    return false;
  }

  /** True if any glob of {@code globs} matches {@code path}. */
  public static boolean any(List<Glob> globs, String path) {
    for (Glob g : globs) {
      if (g.matches(path)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
