package dev.cairn.backup;

/** A plan, option or file is malformed or inconsistent; the message names the setting at fault. */
public class ConfigurationException extends BackupException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
