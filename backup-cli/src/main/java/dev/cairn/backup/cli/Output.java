package dev.cairn.backup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a command writes: results to stdout (text, or one JSON document per line with {@code --json}),
 * messages and progress to stderr. {@code --quiet} drops informational text but never results or
 * errors.
 */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final boolean quiet;
  private final boolean verbose;

  Output(PrintWriter out, PrintWriter err, boolean json, boolean quiet, boolean verbose) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.quiet = quiet;
    this.verbose = verbose;
  }

  boolean json() {
    return json;
  }

  boolean quiet() {
    return quiet;
  }

  boolean verbose() {
    return verbose;
  }

  PrintWriter err() {
    return err;
  }

  /** A line of result text on stdout (not in JSON mode). */
  void text(String format, Object... args) {
    if (!json) {
      out.printf(format + "%n", args);
      out.flush();
    }
  }

  /** An informational line on stdout, dropped with {@code --quiet} and in JSON mode. */
  void info(String format, Object... args) {
    if (!quiet && !json) {
      text(format, args);
    }
  }

  /** A detail shown only with {@code --verbose}, on stderr. */
  void detail(String format, Object... args) {
    if (verbose) {
      err.printf(format + "%n", args);
      err.flush();
    }
  }

  /** A warning on stderr; kept with {@code --quiet} because it changes the outcome. */
  void warn(String format, Object... args) {
    err.printf("warning: " + format + "%n", args);
    err.flush();
  }

  /** One JSON document on one line of stdout (JSON mode only). */
  void json(Object value) {
    if (json) {
      out.println(toJson(value));
      out.flush();
    }
  }

  /** A JSON message in restic's style: {@code {"message_type": type, …fields}}. */
  void message(String type, Map<String, ?> fields) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("message_type", type);
    doc.putAll(fields);
    json(doc);
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getName(), e);
    }
  }
}
