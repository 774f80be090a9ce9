package dev.cairn.backup.influx;

import dev.cairn.backup.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The resolved options of an {@link InfluxSource}. */
record Settings(
    String name,
    int api,
    String url,
    String username,
    Secret password,
    Secret token,
    String org,
    List<String> containers,
    List<String> measurements,
    long fromNs,
    long toNs,
    long windowNs,
    Duration horizon,
    int chunkSize,
    int parallelism,
    Duration timeout,
    Clock clock) {

  boolean measurementSelected(String measurement) {
    return measurements.isEmpty() || measurements.contains(measurement);
  }
}
