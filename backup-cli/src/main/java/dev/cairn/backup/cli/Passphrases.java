package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds passphrases the way restic does: {@code --password-file}, then {@code CAIRN_PASSWORD_FILE},
 * then {@code CAIRN_PASSWORD}, then a prompt on the terminal. New passphrases ({@code init},
 * {@code key add}, {@code key passwd}) are asked twice when prompted.
 */
final class Passphrases {
  static final String PASSWORD = "CAIRN_PASSWORD";
  static final String PASSWORD_FILE = "CAIRN_PASSWORD_FILE";

  private final CliEnvironment environment;
  private final Path passwordFile;
  /** Where a passphrase can be given, for the message when there is none: the settings the user types. */
  private final String settings;

  Passphrases(CliEnvironment environment, Path passwordFile) {
    this(environment, passwordFile, "set " + PASSWORD + " or " + PASSWORD_FILE + ", give --password-file");
  }

  /** Passphrases found as usual, whose "no passphrase" message names {@code settings} instead. */
  Passphrases(CliEnvironment environment, Path passwordFile, String settings) {
    this.environment = environment;
    this.passwordFile = passwordFile;
    this.settings = settings;
  }

  /** The passphrase that opens the repository at {@code location}. */
  Secret current(String location) {
    Secret given = given();
    if (given != null) {
      return given;
    }
    char[] typed = environment.terminal().readPassword("enter passphrase for repository " + location + ": ");
    if (typed == null) {
      throw new ConfigurationException("no passphrase for repository " + location + ": " + settings
          + ", or run on a terminal to be asked");
    }
    return wrap(typed);
  }

  /** The passphrase for a new repository: given like an existing one, or typed twice. */
  Secret forNewRepository(String location) {
    Secret given = given();
    if (given != null) {
      return nonEmpty(given, "the passphrase for the new repository");
    }
    return typedTwice("enter passphrase for new repository " + location + ": ",
        "no passphrase for the new repository " + location + ": " + settings + ", or run on a terminal to be asked");
  }

  /** A new key's passphrase: from {@code newPasswordFile}, or typed twice. */
  Secret newKey(Path newPasswordFile) {
    if (newPasswordFile != null) {
      return nonEmpty(read(newPasswordFile, "--new-password-file"), "the new passphrase in " + newPasswordFile);
    }
    return typedTwice("enter new passphrase: ",
        "no new passphrase: give --new-password-file FILE, or run on a terminal to be asked");
  }

  private Secret given() {
    if (passwordFile != null) {
      return read(passwordFile, "--password-file");
    }
    String file = environment.variable(PASSWORD_FILE);
    if (file != null) {
      return read(Path.of(file), PASSWORD_FILE);
    }
    String value = environment.variable(PASSWORD);
    return value == null ? null : Secret.of(value);
  }

  private Secret typedTwice(String prompt, String noTerminal) {
    char[] first = environment.terminal().readPassword(prompt);
    if (first == null) {
      throw new ConfigurationException(noTerminal);
    }
    char[] second = environment.terminal().readPassword("enter the same passphrase again: ");
    try {
      if (second == null || !Arrays.equals(first, second)) {
        throw new ConfigurationException("the two passphrases differ; nothing was changed, try again");
      }
      return nonEmpty(Secret.of(first), "the passphrase");
    } finally {
      Arrays.fill(first, '\0');
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  private static Secret wrap(char[] typed) {
    try {
      return Secret.of(typed);
    } finally {
      Arrays.fill(typed, '\0');
    }
  }

  private static Secret nonEmpty(Secret secret, String what) {
    if (secret.isEmpty()) {
      throw new ConfigurationException(what + " is empty; choose a non-empty passphrase");
    }
    return secret;
  }

  /** Reads the first line of {@code file} (without its line end) as a passphrase. */
  private static Secret read(Path file, String setting) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int end = text.indexOf('\n');
      String line = end < 0 ? text : text.substring(0, end);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      return Secret.of(line);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the passphrase file " + file + " (" + setting + "): "
          + e.getMessage() + "; check the path and its permissions", e);
    }
  }
}
