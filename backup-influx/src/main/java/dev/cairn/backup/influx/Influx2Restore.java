package dev.cairn.backup.influx;

import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;

final class Influx2Restore {
  Influx2Restore(RestoreSettings settings) {}

  RestoreResult restore(RestoreInput input) {
    throw new UnsupportedOperationException("todo");
  }
}
