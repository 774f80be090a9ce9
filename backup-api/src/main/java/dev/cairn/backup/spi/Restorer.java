package dev.cairn.backup.spi;

import java.io.IOException;

/**
 * The inverse of a source type: writes a snapshot's entries of one source into a destination (a
 * directory, an empty MySQL server, an empty InfluxDB database) and verifies the result against the
 * verification data recorded at backup time.
 *
 * <p>Implementations refuse a destination that is not empty unless configured to allow it, with a
 * {@link dev.cairn.backup.RestoreException} naming what is in the way, before changing anything.
 */
public interface Restorer {

  /** The source type this restorer restores, e.g. {@code mysql}. */
  String type();

  /**
   * Restores {@code input} into the destination, then verifies it.
   *
   * @return what was restored and every verification result
   */
  RestoreResult restore(RestoreInput input) throws IOException;
}
