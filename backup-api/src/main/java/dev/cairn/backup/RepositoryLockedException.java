package dev.cairn.backup;

/** The repository holds a lock that conflicts with the requested operation (for example an exclusive prune lock during a backup). */
public class RepositoryLockedException extends BackupException {
  private static final long serialVersionUID = 1L;

  public RepositoryLockedException(String message) {
    super(message);
  }

  public RepositoryLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
