package dev.cairn.backup.cli;

import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.WrongPassphraseException;

/**
 * The documented exit codes of {@code cairn}, the same as restic's so scripts carry over.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><td>0</td><td>success</td></tr>
 *   <tr><td>1</td><td>failure (including usage errors and a damaged repository found by verify)</td></tr>
 *   <tr><td>3</td><td>the backup completed, but some inputs could not be read (snapshot marked incomplete)</td></tr>
 *   <tr><td>10</td><td>no repository at the given location</td></tr>
 *   <tr><td>11</td><td>the repository is locked by another operation</td></tr>
 *   <tr><td>12</td><td>wrong passphrase</td></tr>
 * </table>
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** Any failure not covered by a more specific code, including usage errors. */
  public static final int FAILURE = 1;
  /** The backup completed and wrote a snapshot, but some inputs could not be read. */
  public static final int INCOMPLETE = 3;
  /** No repository exists at the given location. */
  public static final int NO_REPOSITORY = 10;
  /** The repository is locked by another operation. */
  public static final int LOCKED = 11;
  /** No key of the repository opens with the given passphrase. */
  public static final int WRONG_PASSPHRASE = 12;

  private ExitCodes() {}

  /** The exit code for a failure that ended a command. */
  public static int of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof WrongPassphraseException) {
        return WRONG_PASSPHRASE;
      }
      if (t instanceof RepositoryLockedException) {
        return LOCKED;
      }
      if (t instanceof RepositoryNotFoundException) {
        return NO_REPOSITORY;
      }
    }
    return FAILURE;
  }
}
