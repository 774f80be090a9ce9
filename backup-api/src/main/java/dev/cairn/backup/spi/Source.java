package dev.cairn.backup.spi;

import java.io.IOException;

/**
 * Something to back up. Every source is a tree of streams: it emits entries into a
 * {@link SourceContext} and the engine chunks, deduplicates, compresses, encrypts and stores them.
 *
 * <p>Implementations are immutable and thread-safe; one instance may serve many backups. A source may
 * emit entries from several threads at once (parallel table dumps); the context is thread-safe.
 */
public interface Source {

  /** The source's name, unique within a plan (e.g. {@code mysql}, {@code ansible}). */
  String name();

  /**
   * The source type, which selects the {@link Restorer} able to restore it: {@code files},
   * {@code stream}, {@code mysql}, {@code influx}.
   */
  String type();

  /**
   * Checks that the source can be read (server reachable, credentials accepted, root exists) without
   * reading data. Used by usability checks before a backup.
   *
   * @throws dev.cairn.backup.SourceException naming what is wrong
   */
  default void check() throws IOException {}

  /**
   * Emits every entry of the source into {@code context}. Throwing aborts the backup: no snapshot is
   * written.
   *
   * @throws dev.cairn.backup.SourceException naming what could not be read
   */
  void backup(SourceContext context) throws IOException;
}
