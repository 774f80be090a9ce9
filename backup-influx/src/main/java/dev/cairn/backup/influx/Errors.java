package dev.cairn.backup.influx;

import dev.cairn.backup.BackupException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** Turns I/O failures into messages that name the server and the fix. */
final class Errors {
  private Errors() {}

  static String describe(String url, String what, Throwable e) {
    InfluxHttpException h = find(e, InfluxHttpException.class);
    if (h != null) {
      if (h.isAuthentication()) {
        return "InfluxDB at " + url + " refused the credentials while " + what + " (" + h.getMessage()
            + "); check the username and password (1.x) or the token and its permissions (2.x)";
      }
      return "InfluxDB at " + url + " failed while " + what + ": " + h.getMessage();
    }
    Throwable unreachable = find(e, ConnectException.class);
    if (unreachable == null) {
      unreachable = find(e, HttpConnectTimeoutException.class);
    }
    if (unreachable == null) {
      unreachable = find(e, UnresolvedAddressException.class);
    }
    if (unreachable == null) {
      unreachable = find(e, java.net.UnknownHostException.class);
    }
    if (unreachable != null) {
      return "cannot reach InfluxDB at " + url + " while " + what + " (" + unreachable
          + "); check the URL and that the server is running";
    }
    if (find(e, HttpTimeoutException.class) != null) {
      return "InfluxDB at " + url + " did not answer in time while " + what + "; raise the timeout or check the server";
    }
    return "I/O error talking to InfluxDB at " + url + " while " + what + ": " + e;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** An action that talks to the server. */
  interface IoAction<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code action}; Cairn's own exceptions pass through, I/O failures become {@code wrap(message,
   * cause)} with a message naming the server and what was being done ({@code step}).
   */
  static <T> T guard(String url, Supplier<String> step, BiFunction<String, Throwable, BackupException> wrap,
      IoAction<T> action) {
    try {
      return action.run();
    } catch (BackupException e) {
      throw e;
    } catch (IOException | UnresolvedAddressException e) {
      throw wrap.apply(describe(url, step.get(), e), e);
    }
  }
}
