package dev.cairn.backup.spi;

import java.util.regex.Pattern;

/** Checks object names given to a {@link Storage}, so every backend accepts the same set. */
public final class StorageNames {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

  private StorageNames() {}

  /**
   * Returns {@code name} if it is a valid object name: non-empty {@code /}-separated segments of
   * {@code [A-Za-z0-9._-]}, none of them {@code .} or {@code ..}.
   *
   * @throws IllegalArgumentException naming the offending name otherwise
   */
  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("storage object name must not be empty");
    }
    for (String segment : name.split("/", -1)) {
      if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("invalid storage object name '" + name
            + "': use /-separated segments of letters, digits, '.', '_' and '-'");
      }
    }
    return name;
  }

  /**
   * Returns {@code prefix} if it is a valid listing prefix: empty, or a valid name optionally
   * followed by {@code /}.
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
    return prefix;
  }
}
