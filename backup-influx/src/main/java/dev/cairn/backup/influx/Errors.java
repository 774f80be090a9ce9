package dev.cairn.backup.influx;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/** Turns I/O failures into messages that name the server and the fix. */
final class Errors {
  private Errors() {}

  static String describe(String url, String what, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && !(root instanceof InfluxHttpException)) {
      root = root.getCause();
    }
    if (e instanceof InfluxHttpException h || root instanceof InfluxHttpException) {
      InfluxHttpException h = (InfluxHttpException) (e instanceof InfluxHttpException ? e : root);
      if (h.isAuthentication()) {
        return "InfluxDB at " + url + " refused the credentials while " + what + " (" + h.getMessage()
            + "); check the username and password (1.x) or the token and its permissions (2.x)";
      }
      return "InfluxDB at " + url + " failed while " + what + ": " + h.getMessage();
    }
    if (root instanceof ConnectException || root instanceof HttpConnectTimeoutException
        || root instanceof UnresolvedAddressException || root instanceof java.net.UnknownHostException) {
      return "cannot reach InfluxDB at " + url + " while " + what + " (" + root
          + "); check the URL and that the server is running";
    }
    if (root instanceof HttpTimeoutException) {
      return "InfluxDB at " + url + " did not answer in time while " + what + "; raise the timeout or check the server";
    }
    return "I/O error talking to InfluxDB at " + url + " while " + what + ": " + e;
  }

  static boolean isIo(Throwable e) {
    return e instanceof IOException || e instanceof UnresolvedAddressException;
  }
}
