package dev.cairn.backup.internal.source;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Rethrows a failure caught on another thread with its own type. */
public final class Failures {
  private Failures() {}

  /**
   * Throws {@code t} as what it is: an {@link IOException}, an unchecked exception or an error;
   * anything else wrapped in an {@link UncheckedIOException}. Does nothing for {@code null}.
   */
  public static void rethrow(Throwable t) throws IOException {
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    throw new UncheckedIOException(new IOException(t));
  }
}
