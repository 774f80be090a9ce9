package dev.cairn.backup;

/**
 * Root of Cairn's unchecked exceptions. Subtypes say who failed: {@link SourceException},
 * {@link StorageException}, {@link IntegrityException}, {@link ConfigurationException},
 * {@link RestoreException}, {@link WrongPassphraseException}, {@link RepositoryLockedException},
 * {@link RepositoryNotFoundException}.
 *
 * <p>Every message names the object, setting or file at fault and, where one exists, the fix.
 */
public class BackupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
