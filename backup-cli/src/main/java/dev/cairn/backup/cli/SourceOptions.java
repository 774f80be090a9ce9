package dev.cairn.backup.cli;

import dev.cairn.backup.spi.Source;
import java.util.List;

/**
 * One kind of backup source on the command line (files, a command's stdout; later MySQL, InfluxDB):
 * an option group mixed into {@link BackupCommand}.
 */
interface SourceOptions {

  /** The sources these options describe; empty when none of the options was given. */
  List<Source> sources();
}
