package dev.cairn.backup.influx;

import dev.cairn.backup.spi.SourceContext;

final class Influx2Backup {
  Influx2Backup(Settings settings) {}

  void check() {}

  void run(SourceContext context) {
    throw new UnsupportedOperationException("todo");
  }
}
