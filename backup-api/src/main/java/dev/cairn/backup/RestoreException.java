package dev.cairn.backup;

/** A restore could not be carried out, for example because the destination is not empty. */
public class RestoreException extends BackupException {
  private static final long serialVersionUID = 1L;

  public RestoreException(String message) {
    super(message);
  }

  public RestoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
