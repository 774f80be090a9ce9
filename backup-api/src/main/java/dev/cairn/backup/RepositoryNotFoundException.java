package dev.cairn.backup;

/** The storage holds no Cairn repository (no config object) where one was expected. */
public class RepositoryNotFoundException extends BackupException {
  private static final long serialVersionUID = 1L;

  public RepositoryNotFoundException(String message) {
    super(message);
  }

  public RepositoryNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
