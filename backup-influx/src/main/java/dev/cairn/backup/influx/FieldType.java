package dev.cairn.backup.influx;

import java.util.Locale;

/** The value types of InfluxDB fields, by the names {@code SHOW FIELD KEYS} and Flux use. */
enum FieldType {
  FLOAT, INTEGER, UNSIGNED, STRING, BOOLEAN;

  /** Parses {@code float}, {@code integer}, {@code unsigned}, {@code string}, {@code boolean} (also Flux's names). */
  static FieldType parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "float", "double" -> FLOAT;
      case "integer", "long" -> INTEGER;
      case "unsigned", "unsignedlong" -> UNSIGNED;
      case "string" -> STRING;
      case "boolean" -> BOOLEAN;
      default -> throw new IllegalArgumentException("unknown InfluxDB field type '" + name + "'");
    };
  }
}
