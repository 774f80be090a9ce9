package dev.cairn.backup.influx;

import com.influxdb.client.domain.Bucket;
import com.influxdb.client.domain.BucketRetentionRules;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.SourceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The 2.x backup: bucket settings, then points per bucket, measurement and window. */
final class Influx2Backup {
  private static final Logger LOG = LoggerFactory.getLogger(Influx2Backup.class);

  private final Settings settings;
  private String step = "connecting";

  Influx2Backup(Settings settings) {
    this.settings = settings;
  }

  void check() {
    try (Influx2Client client = client()) {
      guarded(client, () -> selectedBuckets(client));
    }
  }

  void run(SourceContext context) {
    try (Influx2Client client = client()) {
      guarded(client, () -> {
        List<Bucket> buckets = selectedBuckets(client);
        context.putMetadata("influx.api", "2");
        context.putMetadata("influx.version", client.version());
        context.putMetadata("influx.org", settings.org());
        List<String> names = new ArrayList<>();
        buckets.forEach(b -> names.add(b.getName()));
        context.putMetadata("influx.buckets", Metadata.JSON.writeValueAsString(names));
        context.putMetadata("influx.windowSize", settings.windowNs() + "ns");
        LOG.info("backing up {} bucket(s) from InfluxDB at {}", buckets.size(), client.url());
        Influx2Export export = new Influx2Export(client);
        for (Bucket b : buckets) {
          bucket(context, export, b);
        }
        return null;
      });
    }
  }

  private void bucket(SourceContext context, Influx2Export export, Bucket b) throws IOException {
    String name = b.getName();
    step = "reading bucket '" + name + "'";
    BucketRetentionRules rule = b.getRetentionRules() == null || b.getRetentionRules().isEmpty()
        ? null : b.getRetentionRules().get(0);
    long retentionSeconds = rule == null || rule.getEverySeconds() == null ? 0 : rule.getEverySeconds();
    long shardSeconds = rule == null || rule.getShardGroupDurationSeconds() == null ? 0 : rule.getShardGroupDurationSeconds();
    String seg = Names.segment(name);
    try (OutputStream out = context.newFile(EntryMetadata.stream(seg + "/" + Metadata.BUCKET_ENTRY)
        .withAttributes(Map.of("bucket", name)))) {
      out.write(Metadata.write(new Metadata.Bucket(1, name, settings.org(), retentionSeconds, shardSeconds,
          b.getDescription())));
    }
    WindowedBackup windowed = new WindowedBackup(settings, context);
    List<Errors.IoAction<Void>> tasks = new ArrayList<>();
    for (String m : export.measurements(name, settings.fromNs(), settings.toNs())) {
      if (!settings.measurementSelected(m)) {
        continue;
      }
      Map<String, String> names = new LinkedHashMap<>();
      names.put("bucket", name);
      names.put("measurement", m);
      tasks.add(() -> {
        windowed.measurement(seg + "/" + Names.segment(m), retentionSeconds * 1_000_000_000L, names,
            new WindowedBackup.WindowQuery() {
              @Override
              public List<Long> nonEmptyWindows(long from, long to, long windowNs) throws IOException {
                return export.nonEmptyWindows(name, m, from, to, windowNs);
              }

              @Override
              public void export(long start, long end, WindowWriter writer) throws IOException {
                export.exportWindow(name, m, start, end, writer);
              }
            });
        return null;
      });
    }
    step = "exporting the measurements of bucket '" + name + "'";
    ParallelTasks.run(settings.parallelism(), tasks);
  }

  private List<Bucket> selectedBuckets(Influx2Client client) throws IOException {
    step = "listing the buckets of organization '" + settings.org() + "'";
    List<Bucket> all = client.buckets();
    List<Bucket> out = new ArrayList<>();
    if (settings.containers().isEmpty()) {
      for (Bucket b : all) {
        if (!b.getName().startsWith("_")) {
          out.add(b);
        }
      }
      return out;
    }
    for (String name : settings.containers()) {
      Bucket found = all.stream().filter(b -> name.equals(b.getName())).findFirst().orElseThrow(() ->
          new SourceException("bucket '" + name + "' does not exist in organization '" + settings.org()
              + "' on InfluxDB at " + settings.url() + "; fix the bucket name of source '" + settings.name() + "'"));
      out.add(found);
    }
    return out;
  }

  private Influx2Client client() {
    return new Influx2Client(settings.url(), settings.token(), settings.org(), settings.timeout());
  }

  private <T> T guarded(Influx2Client client, Errors.IoAction<T> action) {
    return Errors.guard(client.url(), () -> step,
        (message, cause) -> new SourceException("source '" + settings.name() + "': " + message, cause), action);
  }
}
