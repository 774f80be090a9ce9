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
}
