package dev.cairn.backup.influx;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.Secret;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** The resolved options of an {@link InfluxRestorer}. */
record RestoreSettings(
    int api,
    String url,
    String username,
    Secret password,
    Secret token,
    String org,
    Map<String, String> renames,
    String target,
    boolean allowNonEmpty,
    int batchSize,
    int parallelism,
    int maxRetries,
    Duration retryBackoff,
    Duration timeout,
    boolean continuousQueries) {

  /** Where the database or bucket {@code name} of the snapshot goes. */
  String targetOf(String name, Collection<String> all) {
    if (renames.containsKey(name)) {
      return renames.get(name);
    }
    if (target != null) {
      if (all.size() != 1) {
        throw new RestoreException("the snapshot holds " + all.size() + " databases/buckets " + all
            + ", so a single target name is ambiguous; map each with rename(from, to)");
      }
      return target;
    }
    return name;
  }
}
