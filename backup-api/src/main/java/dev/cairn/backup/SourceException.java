package dev.cairn.backup;

/** A source could not be read: a database that cannot be reached, wrong credentials, a command that exited non-zero, a missing file root. */
public class SourceException extends BackupException {
  private static final long serialVersionUID = 1L;

  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
