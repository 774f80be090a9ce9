package dev.cairn.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command for checks and hooks: time limit, kill with children, output tail. */
final class ExternalCommand {
  /** How much of a failed command's output is kept for the message. */
  static final int OUTPUT_TAIL_LINES = 20;
  static final int OUTPUT_TAIL_CHARS = 4000;

  private ExternalCommand() {}

  /**
   * Runs {@code command}; returns normally only if it exits 0 within {@code timeout}.
   *
   * @throws Exception whose message names the command, what went wrong and the tail of its output
   */
  static void run(Path directory, Duration timeout, List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    if (directory != null) {
      pb.directory(directory.toFile());
    }
    if (directory != null && !Files.isDirectory(directory)) {
      // the JDK reports a missing directory as a missing program: ENOENT from the same exec
      throw new IOException("command '" + String.join(" ", command) + "' could not start: its working directory "
          + directory + (Files.exists(directory) ? " is not a directory" : " does not exist"));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("command '" + String.join(" ", command) + "' could not start"
          + (directory == null ? "" : " in " + directory) + ": " + e.getMessage()
          + " (is it installed and on the PATH?)", e);
    }
    p.getOutputStream().close();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> readTail(p, tail), "cairn-check-output");
    reader.setDaemon(true);
    reader.start();
    boolean exited;
    try {
      exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    }
    if (!exited) {
      kill(p);
      reader.join(TimeUnit.SECONDS.toMillis(5));
      throw new Exception("command '" + String.join(" ", command) + "' did not finish within " + timeout
          + " and was killed" + tailText(tail));
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    int code = p.exitValue();
    if (code != 0) {
      throw new Exception("command '" + String.join(" ", command) + "' exited with " + code + tailText(tail));
    }
  }

  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static void readTail(Process p, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (tail) {
          tail.addLast(line.length() > OUTPUT_TAIL_CHARS ? line.substring(0, OUTPUT_TAIL_CHARS) : line);
          if (tail.size() > OUTPUT_TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process was killed or closed its output; what was read so far is the tail
    } catch (UncheckedIOException e) {
      // same as above
    }
  }

  private static String tailText(Deque<String> tail) {
    String text;
    synchronized (tail) {
      text = String.join("\n", tail).strip();
    }
    if (text.isEmpty()) {
      return " (no output)";
    }
    if (text.length() > OUTPUT_TAIL_CHARS) {
      text = "…" + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }
    return "; output ends with:\n" + text;
  }
}
