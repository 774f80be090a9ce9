package dev.cairn.backup;

/**
 * A storage operation failed. {@link #isPermanent()} tells whether retrying can help: a refused
 * credential or a missing bucket is permanent, a reset connection or a 503 is not.
 */
public class StorageException extends BackupException {
  private static final long serialVersionUID = 1L;
  private final boolean permanent;

  public StorageException(String message, boolean permanent) {
    super(message);
    this.permanent = permanent;
  }

  public StorageException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  /** Returns true when retrying the same operation cannot succeed. */
  public boolean isPermanent() {
    return permanent;
  }

  /**
   * Whether {@code failure} or one of its causes is a full disk or an exceeded quota. Java has no
   * exception type for either, so this reads the operating system's message ("No space left on device",
   * "Disk quota exceeded"), as a local disk or a mounted drive reports it.
   */
  public static boolean isNoSpace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null) {
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
          return true;
        }
      }
    }
    return false;
  }
}
