package dev.cairn.backup;

/** No key slot of the repository opens with the given passphrase. Nothing was changed. */
public class WrongPassphraseException extends BackupException {
  private static final long serialVersionUID = 1L;

  public WrongPassphraseException(String message) {
    super(message);
  }

  public WrongPassphraseException(String message, Throwable cause) {
    super(message, cause);
  }
}
