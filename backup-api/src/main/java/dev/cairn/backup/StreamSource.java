package dev.cairn.backup;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import dev.cairn.backup.spi.Verification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One stream stored as one entry: the content of an {@link InputStream} (for example a dump an
 * application produces), or the standard output of an external command (for example
 * {@code pg_dump app}). The entry's SHA-256 and length are recorded as verification data, so a
 * restore proves it got the same bytes back.
 *
 * <p>A command that exits with a non-zero status, or that cannot be started, fails the backup: no
 * snapshot is written; the message carries the end of the command's standard error. Immutable and
 * thread-safe.
 */
public final class StreamSource implements Source {
  /** The source type of stream sources. */
  public static final String TYPE = "stream";
  private static final int STDERR_TAIL = 4096;

  private final String name;
  private final String path;
  private final Supplier<? extends InputStream> stream;
  private final List<String> command;
  private final java.nio.file.Path directory;

  private StreamSource(String name, String path, Supplier<? extends InputStream> stream, List<String> command,
      java.nio.file.Path directory) {
    this.name = Objects.requireNonNull(name, "name");
    this.path = Objects.requireNonNull(path, "path");
    EntryMetadata.stream(path); // validates the path
    this.stream = stream;
    this.command = command;
    this.directory = directory;
  }

  /**
   * A source named {@code name} storing what {@code stream} supplies as entry {@code path}. The
   * supplier is called once per backup; the stream is read to its end and closed.
   */
  public static StreamSource of(String name, String path, Supplier<? extends InputStream> stream) {
    return new StreamSource(name, path, Objects.requireNonNull(stream, "stream"), null, null);
  }

  /**
   * A source named {@code name} storing the standard output of {@code command} (program and
   * arguments, no shell) as entry {@code path}. Standard error is kept for the error message only.
   */
  public static StreamSource command(String name, String path, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    return new StreamSource(name, path, null, List.copyOf(command), null);
  }

  /**
   * This command source running its command in {@code dir} (a relative program such as
   * {@code ./dump.sh} included) instead of the application's working directory; a plan file's stream
   * sources run in the plan file's directory, as its checks and hooks do.
   */
  public StreamSource inDirectory(java.nio.file.Path dir) {
    if (command == null) {
      throw new IllegalStateException("source '" + name + "' reads a stream, not a command: it has no directory");
    }
    return new StreamSource(name, path, null, command, Objects.requireNonNull(dir, "dir"));
  }

  /** The entry path the stream is stored under. */
  public String path() {
    return path;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void backup(SourceContext context) throws IOException {
    if (command == null) {
      try (InputStream in = Objects.requireNonNull(stream.get(), "stream supplier returned null")) {
        store(context, in);
      }
      return;
    }
    // The program name only: arguments may carry credentials.
    context.putMetadata("command", command.get(0));
    Process process;
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
      if (directory != null) {
        pb.directory(directory.toFile());
      }
      process = pb.start();
    } catch (IOException e) {
      throw new SourceException("source '" + name + "': cannot start command '" + command.get(0) + "': "
          + e.getMessage() + "; check that it is installed and on the PATH", e);
    }
    process.getOutputStream().close();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> drainTail(process.getErrorStream(), stderr), "cairn-stderr-" + name);
    errReader.setDaemon(true);
    errReader.start();
    try (InputStream in = process.getInputStream()) {
      store(context, in);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    int exit;
    try {
      exit = process.waitFor();
      errReader.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SourceException("source '" + name + "': interrupted while waiting for '" + command.get(0) + "'", e);
    }
    if (exit != 0) {
      String err;
      synchronized (stderr) {
        err = stderr.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
      }
      throw new SourceException("source '" + name + "': command '" + command.get(0) + "' exited with status "
          + exit + (err.isEmpty() ? "" : ": " + err) + "; no snapshot was written");
    }
    context.putMetadata("exitStatus", "0");
  }

  private void store(SourceContext context, InputStream in) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long n;
    try (OutputStream out = new DigestOutputStream(context.newFile(EntryMetadata.stream(path)), sha)) {
      byte[] buf = new byte[1 << 16];
      n = 0;
      for (int r; (r = in.read(buf)) >= 0; n += r) {
        out.write(buf, 0, r);
      }
    }
    context.addVerification(new Verification(path, n, "sha256:" + HexFormat.of().formatHex(sha.digest()),
        Map.of("algorithm", "sha256", "unit", "bytes")));
  }

  private static void drainTail(InputStream err, ByteArrayOutputStream tail) {
    byte[] buf = new byte[8192];
    try (err) {
      int n;
      while ((n = err.read(buf)) >= 0) {
        synchronized (tail) {
          if (tail.size() + n > STDERR_TAIL) {
            byte[] keep = tail.toByteArray();
            tail.reset();
            int from = Math.max(0, keep.length + n - STDERR_TAIL);
            if (from < keep.length) {
              tail.write(keep, from, keep.length - from);
            }
          }
          tail.write(buf, 0, Math.min(n, STDERR_TAIL));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "StreamSource[" + name + ": " + (command == null ? "stream" : command.get(0)) + " -> " + path + "]";
  }
}
