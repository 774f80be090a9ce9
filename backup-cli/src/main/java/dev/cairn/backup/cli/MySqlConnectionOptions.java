package dev.cairn.backup.cli;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --mysql JDBC-URL [--mysql-defaults-file FILE]}: where a MySQL or MariaDB server is and how to log
 * in, shared by {@code cairn backup} and {@code cairn restore}. Credentials come, in this order, from
 * the URL's own {@code user}/{@code password} parameters, the {@code [client]} section of a MySQL option
 * file, and {@code CAIRN_MYSQL_PASSWORD} (the password only) — never from a command-line value, which
 * other users could read in the process list.
 */
final class MySqlConnectionOptions {
  static final String PASSWORD_VARIABLE = "CAIRN_MYSQL_PASSWORD";

  @Option(names = "--mysql", paramLabel = "JDBC-URL",
      description = "A MySQL or MariaDB server, e.g. jdbc:mysql://db:3306/ (user=… and password=… parameters"
          + " allowed; else --mysql-defaults-file, then $" + PASSWORD_VARIABLE + ").")
  String url;

  @Option(names = "--mysql-defaults-file", paramLabel = "FILE",
      description = "A MySQL option file whose [client] section gives user= and password= (like ~/.my.cnf).")
  Path defaultsFile;

  /** Whether {@code --mysql} was given. */
  boolean given() {
    return url != null;
  }

  /** The login to use, from the option file and the environment; the URL's own parameters win. */
  Login login(CliEnvironment environment) {
    String user = null;
    String password = null;
    if (defaultsFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(defaultsFile);
      } catch (IOException e) {
        throw new ConfigurationException("cannot read --mysql-defaults-file " + defaultsFile + ": " + e.getMessage()
            + "; give a readable MySQL option file with a [client] section", e);
      }
      String section = "";
      for (String raw : lines) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          section = line.substring(1, line.length() - 1).strip().toLowerCase(java.util.Locale.ROOT);
          continue;
        }
        int eq = line.indexOf('=');
        if (!section.equals("client") || eq < 0) {
          continue;
        }
        String key = line.substring(0, eq).strip().replace('_', '-');
        String value = unquote(line.substring(eq + 1).strip());
        if (key.equals("user")) {
          user = value;
        } else if (key.equals("password")) {
          password = value;
        }
      }
    }
    if (password == null) {
      password = environment.variable(PASSWORD_VARIABLE);
    }
    boolean urlHasUser = url.matches("(?s).*[?&]user=.*");
    boolean urlHasPassword = url.matches("(?s).*[?&]password=.*");
    return new Login(urlHasUser ? null : user, urlHasPassword || password == null ? null : Secret.of(password));
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
        || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  /**
   * A user and password to pass to a builder; either may be {@code null} (then the URL's is used).
   *
   * @param user the user name, or {@code null}
   * @param password the password, or {@code null}
   */
  record Login(String user, Secret password) {
    /** Hands the non-null parts to a builder's setters. */
    void apply(Consumer<String> userSetter, Consumer<Secret> passwordSetter) {
      if (user != null) {
        userSetter.accept(user);
      }
      if (password != null) {
        passwordSetter.accept(password);
      }
    }
  }
}
