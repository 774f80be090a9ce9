package dev.cairn.backup.cli;

import dev.cairn.backup.Progress;
import dev.cairn.backup.ProgressListener;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live progress of a long operation: a single line on a terminal's stderr, rewritten with {@code \r}
 * about five times a second (files, bytes, rate, ETA), or one JSON {@code status} message per second on
 * stdout with {@code --json}. Silent with {@code --quiet} and when stderr is not a terminal (cron, pipes).
 * Counters may be updated from any thread.
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {
  private static final long TERMINAL_PERIOD_MS = 200;
  private static final long JSON_PERIOD_MS = 1000;

  private final Output output;
  private final String action;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService ticker;
  private volatile long files;
  private volatile long bytes;
  private volatile long totalFiles = -1;
  private volatile long totalBytes = -1;
  private volatile String current = "";
  private volatile long scannedFiles = -1;
  private volatile long scannedBytes = -1;
  private int lastWidth;

  private ProgressDisplay(Output output, String action, boolean terminal, long periodMs) {
    this.output = output;
    this.action = action;
    this.terminal = terminal;
    if (periodMs > 0) {
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-progress");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(this::render, periodMs, periodMs, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  /** Starts progress for {@code action} ("backup", "restore", "verify") in the mode the output allows. */
  static ProgressDisplay start(Output output, boolean stderrIsTerminal, String action) {
    if (output.json()) {
      return new ProgressDisplay(output, action, false, output.quiet() ? 0 : JSON_PERIOD_MS);
    }
    boolean live = stderrIsTerminal && !output.quiet();
    return new ProgressDisplay(output, action, live, live ? TERMINAL_PERIOD_MS : 0);
  }

  /**
   * Sets the work done so far, the totals ({@code -1} when unknown: no ETA then) and the item being
   * worked on.
   */
  void update(long files, long bytes, long totalFiles, long totalBytes, String current) {
    this.files = files;
    this.bytes = bytes;
    this.totalFiles = totalFiles;
    this.totalBytes = totalBytes;
    this.current = current == null ? "" : current;
  }

  /** True when something is drawn (terminal line or JSON status). */
  boolean live() {
    return ticker != null;
  }

  /**
   * Walks {@code roots} on a background thread to estimate the totals, for an ETA when the engine has
   * no estimate of its own (a first backup). Cheap: metadata only, and skipped when nothing is drawn.
   */
  void estimateTotals(List<Path> roots) {
    if (!live() || roots.isEmpty()) {
      return;
    }
    Thread scanner = new Thread(() -> {
      long[] totals = new long[2];
      for (Path root : roots) {
        try {
          Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                totals[0]++;
                totals[1] += attrs.size();
              }
              return ticker.isShutdown() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
        } catch (IOException e) {
          return; // no estimate: the line just shows no ETA
        }
      }
      scannedFiles = totals[0];
      scannedBytes = totals[1];
    }, "cairn-progress-scan");
    scanner.setDaemon(true);
    scanner.start();
  }

  /** True once {@link #estimateTotals} has finished. */
  boolean estimated() {
    return scannedFiles >= 0;
  }

  /** Takes a sample from the engine; drawn at the next tick. */
  @Override
  public void progress(Progress p) {
    update(p.files(), p.bytes(), p.totalFiles(), p.totalBytes(), p.currentPath());
  }

  /** Seconds since the start. */
  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Draws the current state once (the ticker calls it; tests call it directly). */
  synchronized void render() {
    long totalFiles = this.totalFiles >= 0 ? this.totalFiles : scannedFiles;
    long totalBytes = this.totalBytes >= 0 ? this.totalBytes : scannedBytes;
    double elapsed = elapsedSeconds();
    double rate = elapsed > 0 ? bytes / elapsed : 0;
    long eta = -1;
    if (totalBytes > 0 && rate > 0 && bytes <= totalBytes) {
      eta = (long) ((totalBytes - bytes) / rate);
    }
    if (terminal) {
      StringBuilder line = new StringBuilder();
      line.append('[').append(Format.duration(Duration.ofMillis((long) (elapsed * 1000)))).append("] ");
      line.append(files).append(totalFiles >= 0 ? " / " + totalFiles : "").append(" files, ");
      line.append(Format.bytes(bytes)).append(totalBytes >= 0 ? " / " + Format.bytes(totalBytes) : "");
      line.append(", ").append(Format.rate(rate));
      if (eta >= 0) {
        line.append(", ETA ").append(Format.duration(Duration.ofSeconds(eta)));
      }
      if (!current.isEmpty()) {
        line.append("  ").append(current);
      }
      String text = line.length() > 118 ? line.substring(0, 117) + "…" : line.toString();
      int pad = Math.max(0, lastWidth - text.length());
      output.err().print("\r" + text + " ".repeat(pad));
      output.err().flush();
      lastWidth = text.length();
    } else {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("action", action);
      fields.put("seconds_elapsed", Math.round(elapsed));
      if (eta >= 0) {
        fields.put("seconds_remaining", eta);
      }
      if (totalBytes > 0) {
        fields.put("percent_done", Math.min(1.0, (double) bytes / totalBytes));
      }
      fields.put("files_done", files);
      fields.put("bytes_done", bytes);
      if (totalFiles >= 0) {
        fields.put("total_files", totalFiles);
      }
      if (totalBytes >= 0) {
        fields.put("total_bytes", totalBytes);
      }
      fields.put("current", current);
      output.message("status", fields);
    }
  }

  /** Stops the ticker and clears the progress line. Idempotent. */
  @Override
  public synchronized void close() {
    if (ticker != null && !ticker.isShutdown()) {
      ticker.shutdownNow();
      if (terminal && lastWidth > 0) {
        output.err().print("\r" + " ".repeat(lastWidth) + "\r");
        output.err().flush();
      }
    }
  }
}
