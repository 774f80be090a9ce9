package dev.cairn.backup.influx;

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

/** The 1.x backup: metadata per database, then points per retention policy, measurement and window. */
final class Influx1Backup {
  private static final Logger LOG = LoggerFactory.getLogger(Influx1Backup.class);

  private final Settings settings;
  private final Influx1Client client;
  private final Influx1Export export;
  private String step = "connecting";

  Influx1Backup(Settings settings) {
    this.settings = settings;
    this.client = new Influx1Client(settings.url(), settings.username(), settings.password(), settings.timeout());
    this.export = new Influx1Export(client, settings.chunkSize());
  }

  void check() {
    guarded(() -> {
      selectedDatabases();
      return null;
    });
  }

  void run(SourceContext context) {
    guarded(() -> {
      List<String> databases = selectedDatabases();
      context.putMetadata("influx.api", "1");
      context.putMetadata("influx.version", client.ping());
      context.putMetadata("influx.databases", Metadata.JSON.writeValueAsString(databases));
      context.putMetadata("influx.windowSize", settings.windowNs() + "ns");
      LOG.info("backing up {} database(s) from InfluxDB at {}", databases.size(), client.url());
      for (String db : databases) {
        database(context, db);
      }
      return null;
    });
  }

  private void database(SourceContext context, String db) throws IOException {
    step = "reading the metadata of database '" + db + "'";
    List<Metadata.RetentionPolicy> rps = export.retentionPolicies(db);
    String dbSeg = Names.segment(db);
    List<Metadata.ContinuousQuery> cqs;
    try {
      cqs = export.continuousQueries(db);
    } catch (InfluxHttpException e) {
      if (!e.isAuthentication() && !e.getMessage().contains("not authorized")) {
        throw e;
      }
      // a read-only backup user may not list continuous queries (InfluxDB wants admin for that)
      cqs = List.of();
      context.warn(dbSeg + "/" + Metadata.DATABASE_ENTRY, "continuous queries not backed up: user '"
          + settings.username() + "' may not run SHOW CONTINUOUS QUERIES (" + e.getMessage()
          + "); back up as an admin user to keep them");
    }
    try (OutputStream out = context.newFile(EntryMetadata.stream(dbSeg + "/" + Metadata.DATABASE_ENTRY)
        .withAttributes(Map.of("database", db)))) {
      out.write(Metadata.write(new Metadata.Database(1, db, rps, cqs)));
    }
    List<String> measurements = new ArrayList<>();
    for (String m : export.measurements(db)) {
      if (settings.measurementSelected(m)) {
        measurements.add(m);
      }
    }
    WindowedBackup windowed = new WindowedBackup(settings, context);
    List<Errors.IoAction<Void>> tasks = new ArrayList<>();
    for (Metadata.RetentionPolicy rp : rps) {
      long shardNs = Influx1Export.goDurationNanos(rp.shardGroupDuration());
      long retentionNs = Influx1Export.goDurationNanos(rp.duration());
      for (String m : measurements) {
        tasks.add(() -> {
          Influx1Export.MeasurementSchema schema = export.schema(db, rp.name(), m);
          if (schema.fields().isEmpty()) {
            return null; // no points of this measurement under this retention policy
          }
          Map<String, String> names = new LinkedHashMap<>();
          names.put("database", db);
          names.put("retentionPolicy", rp.name());
          names.put("measurement", m);
          windowed.measurement(dbSeg + "/" + Names.segment(rp.name()) + "/" + Names.segment(m), retentionNs, names,
              new WindowedBackup.WindowQuery() {
                @Override
                public List<Long> nonEmptyWindows(long from, long to, long windowNs) throws IOException {
                  return export.nonEmptyWindows(db, rp.name(), m, schema, from, to, windowNs);
                }

                @Override
                public void export(long start, long end, WindowWriter writer) throws IOException {
                  export.exportWindow(db, rp.name(), shardNs, m, schema, start, end, writer);
                }
              });
          return null;
        });
      }
    }
    step = "exporting the measurements of database '" + db + "'";
    ParallelTasks.run(settings.parallelism(), tasks);
  }

  private List<String> selectedDatabases() throws IOException {
    step = "listing databases";
    List<String> existing = export.databases();
    if (settings.containers().isEmpty()) {
      List<String> all = new ArrayList<>(existing);
      all.remove("_internal");
      return all;
    }
    for (String db : settings.containers()) {
      if (!existing.contains(db)) {
        throw new SourceException("database '" + db + "' does not exist on InfluxDB at " + client.url()
            + " (existing: " + existing + "); fix the database name of source '" + settings.name() + "'");
      }
    }
    return settings.containers();
  }

  private <T> T guarded(Errors.IoAction<T> action) {
    return Errors.guard(client.url(), () -> step,
        (message, cause) -> new SourceException("source '" + settings.name() + "': " + message, cause), action);
  }
}
