package dev.cairn.backup.influx;

import java.io.IOException;

/** An InfluxDB HTTP request failed with a status code or a statement error. */
final class InfluxHttpException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  InfluxHttpException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status, or 200 when the server accepted the request but the statement failed. */
  int status() {
    return status;
  }

  /** True when retrying may help: overload, timeouts and server errors. */
  boolean isTransient() {
    return status == 429 || status == 408 || status >= 500;
  }

  /** True when the server refused the credentials. */
  boolean isAuthentication() {
    return status == 401 || status == 403;
  }
}
