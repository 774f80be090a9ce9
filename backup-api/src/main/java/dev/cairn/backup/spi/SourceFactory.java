package dev.cairn.backup.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Makes {@link Source}s of one type from plan-file settings, and the scratch restorers that restore
 * drills use; found through {@link java.util.ServiceLoader}, so the YAML plan module needs no
 * compile-time dependency on the database modules. A database module (e.g. {@code backup-mysql})
 * registers one in {@code META-INF/services/dev.cairn.backup.spi.SourceFactory}. Thread-safe.
 */
public interface SourceFactory {

  /** The source type made, e.g. {@code mysql}; matches {@link Source#type()}. */
  String type();

  /** The setting keys understood; any other key in a plan file is an error naming it. */
  Set<String> keys();

  /**
   * Makes a source from {@code settings}.
   *
   * @throws dev.cairn.backup.ConfigurationException via {@link SourceSettings#error} for bad settings
   */
  Source create(SourceSettings settings);

  /**
   * A restorer into a scratch destination for a restore drill (a scratch database on the server the
   * settings name, an embedded server, …), if this type supports drills. The destination is made
   * empty by the restorer's owner and removed after the drill by {@link ScratchRestorer#close()}.
   *
   * @param scratchDir a private temporary directory the restorer may use
   */
  default Optional<ScratchRestorer> scratchRestorer(SourceSettings settings, Path scratchDir) {
    return Optional.empty();
  }

  /** A {@link Restorer} into a throw-away destination, removed on {@link #close()}. */
  interface ScratchRestorer extends AutoCloseable {
    /** The restorer, writing into the scratch destination. */
    Restorer restorer();

    /** Where it restores to, for the drill report (never a secret). */
    String destination();

    /** Removes the scratch destination; idempotent. */
    @Override
    void close() throws IOException;
  }
}
