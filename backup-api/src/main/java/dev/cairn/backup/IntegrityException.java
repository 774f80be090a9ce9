package dev.cairn.backup;

/** Data read back does not match its authentication tag or content hash. Never retried: the object is damaged or was tampered with. */
public class IntegrityException extends BackupException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
