package dev.cairn.backup.influx;

import com.influxdb.client.domain.Bucket;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The 2.x restore: check targets, create buckets, write points, verify. */
final class Influx2Restore {
  private static final Logger LOG = LoggerFactory.getLogger(Influx2Restore.class);

  private final RestoreSettings settings;
  private String step = "connecting";

  Influx2Restore(RestoreSettings settings) {
    this.settings = settings;
  }

  RestoreResult restore(RestoreInput input) {
    try (Influx2Client client = new Influx2Client(settings.url(), settings.token(), settings.org(), settings.timeout())) {
      return Errors.guard(client.url(), () -> step, (message, cause) -> new RestoreException("restoring snapshot "
          + input.snapshotId() + " source '" + input.sourceName() + "': " + message, cause), () -> run(client, input));
    }
  }

  private RestoreResult run(Influx2Client client, RestoreInput input) throws IOException {
    Map<String, Metadata.Bucket> buckets = new LinkedHashMap<>();
    for (EntryMetadata e : input.entries()) {
      String[] seg = e.path().split("/");
      if (seg.length == 2 && seg[1].equals(Metadata.BUCKET_ENTRY)) {
        try (InputStream in = input.open(e.path())) {
          Metadata.Bucket b = Metadata.read(in, Metadata.Bucket.class);
          buckets.put(b.name(), b);
        }
      }
    }
    if (buckets.isEmpty()) {
      throw new RestoreException("snapshot " + input.snapshotId() + " source '" + input.sourceName()
          + "' holds no InfluxDB 2.x bucket (no */" + Metadata.BUCKET_ENTRY + " entry); was it taken with InfluxSource.v2?");
    }
    Map<String, String> targets = new LinkedHashMap<>();
    for (String b : buckets.keySet()) {
      targets.put(b, settings.targetOf(b, buckets.keySet()));
    }
    Influx2Export export = new Influx2Export(client);
    step = "listing the buckets of organization '" + settings.org() + "'";
    Set<String> existing = client.buckets().stream().map(Bucket::getName).collect(Collectors.toSet());
    for (Map.Entry<String, String> t : targets.entrySet()) {
      if (existing.contains(t.getValue()) && !settings.allowNonEmpty()) {
        step = "checking that bucket '" + t.getValue() + "' is empty";
        if (export.hasPoints(t.getValue())) {
          throw new RestoreException("target bucket '" + t.getValue() + "' on " + client.url() + " already holds "
              + "points; restore into a new or empty bucket (rename(\"" + t.getKey() + "\", \"new_name\")) "
              + "or allow it with allowNonEmpty(true)");
        }
      }
    }
    for (Map.Entry<String, String> t : targets.entrySet()) {
      if (!existing.contains(t.getValue())) {
        step = "creating bucket '" + t.getValue() + "'";
        Metadata.Bucket b = buckets.get(t.getKey());
        client.createBucket(t.getValue(), b.retentionSeconds(), b.shardGroupSeconds(), b.description());
      }
    }
    long entries = 0;
    long bytes = 0;
    try (BatchWriter writer = new BatchWriter(settings.batchSize(), settings.parallelism(),
        settings.maxRetries(), settings.retryBackoff())) {
      for (EntryMetadata e : input.entries()) {
        String[] seg = e.path().split("/");
        if (e.type() != EntryType.FILE || seg.length != 3 || !seg[2].endsWith(".lp")) {
          continue;
        }
        String target = targets.get(Names.decode(seg[0]));
        step = "writing " + e.path() + " into bucket '" + target + "'";
        try (InputStream in = input.open(e.path())) {
          writer.entry(in, (lines, len) -> client.write(target, lines, len));
        }
        entries++;
        bytes += Math.max(0, e.size());
      }
      step = "writing points";
      writer.finish();
    }
    step = "verifying the restored points";
    List<VerificationResult> results = RestoreVerifier.verify(input, settings.parallelism(), attrs -> {
      WindowWriter w = new WindowWriter(null);
      export.exportWindow(targets.get(attrs.get("bucket")), attrs.get("measurement"),
          Long.parseLong(attrs.get("start")), Long.parseLong(attrs.get("end")), w);
      w.finish();
      return w;
    });
    URI u = URI.create(client.url());
    String destination = "influx2://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/"
        + settings.org() + "/" + String.join(",", targets.values());
    LOG.info("restored {} entries into {}; {} of {} verification(s) passed", entries, destination,
        results.stream().filter(VerificationResult::ok).count(), results.size());
    return new RestoreResult(input.sourceName(), destination, entries, bytes, results);
  }
}
