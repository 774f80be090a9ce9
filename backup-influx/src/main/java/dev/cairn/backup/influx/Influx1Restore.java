package dev.cairn.backup.influx;

import dev.cairn.backup.RestoreException;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The 1.x restore: check targets, create databases and retention policies, write points, CQs, verify. */
final class Influx1Restore {
  private static final Logger LOG = LoggerFactory.getLogger(Influx1Restore.class);

  private final RestoreSettings settings;
  private final Influx1Client client;
  private final Influx1Export export;
  private String step = "connecting";

  Influx1Restore(RestoreSettings settings) {
    this.settings = settings;
    this.client = new Influx1Client(settings.url(), settings.username(), settings.password(), settings.timeout());
    this.export = new Influx1Export(client, 10_000);
  }

  RestoreResult restore(RestoreInput input) {
    return Errors.guard(client.url(), () -> step, (message, cause) -> new RestoreException("restoring snapshot "
        + input.snapshotId() + " source '" + input.sourceName() + "': " + message, cause), () -> run(input));
  }

  private RestoreResult run(RestoreInput input) throws IOException {
    Map<String, Metadata.Database> databases = new LinkedHashMap<>();
    for (EntryMetadata e : input.entries()) {
      String[] seg = e.path().split("/");
      if (seg.length == 2 && seg[1].equals(Metadata.DATABASE_ENTRY)) {
        try (InputStream in = input.open(e.path())) {
          Metadata.Database db = Metadata.read(in, Metadata.Database.class);
          databases.put(db.name(), db);
        }
      }
    }
    if (databases.isEmpty()) {
      throw new RestoreException("snapshot " + input.snapshotId() + " source '" + input.sourceName()
          + "' holds no InfluxDB 1.x database (no */" + Metadata.DATABASE_ENTRY + " entry); was it taken with InfluxSource.v1?");
    }
    Map<String, String> targets = new LinkedHashMap<>();
    for (String db : databases.keySet()) {
      targets.put(db, settings.targetOf(db, databases.keySet()));
    }
    step = "listing databases";
    List<String> existing = export.databases();
    for (Map.Entry<String, String> t : targets.entrySet()) {
      if (existing.contains(t.getValue()) && !settings.allowNonEmpty()) {
        step = "checking that database '" + t.getValue() + "' is empty";
        List<String> ms = export.measurements(t.getValue());
        if (!ms.isEmpty()) {
          throw new RestoreException("target database '" + t.getValue() + "' on " + client.url() + " already holds "
              + ms.size() + " measurement(s) (e.g. '" + ms.get(0) + "'); restore into a new or empty database "
              + "(rename(\"" + t.getKey() + "\", \"new_name\")) or allow it with allowNonEmpty(true)");
        }
      }
    }
    for (Map.Entry<String, String> t : targets.entrySet()) {
      createDatabase(databases.get(t.getKey()), t.getValue());
    }
    long entries = 0;
    long bytes = 0;
    long started = System.nanoTime();
    try (BatchWriter writer = new BatchWriter(settings.batchSize(), settings.parallelism(),
        settings.maxRetries(), settings.retryBackoff())) {
      for (EntryMetadata e : input.entries()) {
        String[] seg = e.path().split("/");
        if (e.type() != EntryType.FILE || seg.length != 4 || !seg[3].endsWith(".lp")) {
          continue;
        }
        String target = targets.get(Names.decode(seg[0]));
        String rp = Names.decode(seg[1]);
        step = "writing " + e.path() + " into " + target + "/" + rp;
        try (InputStream in = input.open(e.path())) {
          writer.entry(in, (lines, len) -> write(target, rp, lines, len));
        }
        entries++;
        bytes += Math.max(0, e.size());
      }
      step = "writing points";
      writer.finish();
    }
    for (Map.Entry<String, String> t : targets.entrySet()) {
      if (settings.continuousQueries()) {
        createContinuousQueries(databases.get(t.getKey()), t.getValue());
      }
    }
    long written = System.nanoTime();
    LOG.info("wrote {} entries ({} bytes) in {} ms", entries, bytes, (written - started) / 1_000_000);
    step = "verifying the restored points";
    Map<String, Influx1Export.MeasurementSchema> schemas = new HashMap<>();
    Map<String, Long> shardNs = new HashMap<>();
    List<VerificationResult> results = RestoreVerifier.verify(input, settings.parallelism(), attrs -> {
      String db = targets.get(attrs.get("database"));
      String rp = attrs.get("retentionPolicy");
      String m = attrs.get("measurement");
      Influx1Export.MeasurementSchema schema;
      synchronized (schemas) { // windows are verified on several threads; each schema is read once
        schema = schemas.get(db + "\0" + rp + "\0" + m);
        if (schema == null) {
          schema = export.schema(db, rp, m);
          schemas.put(db + "\0" + rp + "\0" + m, schema);
        }
        if (!shardNs.containsKey(db + "\0" + rp)) {
          for (Metadata.RetentionPolicy p : export.retentionPolicies(db)) {
            shardNs.put(db + "\0" + p.name(), Influx1Export.goDurationNanos(p.shardGroupDuration()));
          }
        }
      }
      long shardGroupNs;
      synchronized (schemas) {
        shardGroupNs = shardNs.getOrDefault(db + "\0" + rp, 0L);
      }
      WindowWriter w = new WindowWriter(null);
      export.exportWindow(db, rp, shardGroupNs, m, schema,
          Long.parseLong(attrs.get("start")), Long.parseLong(attrs.get("end")), w);
      w.finish();
      return w;
    });
    URI u = URI.create(client.url());
    String destination = "influx://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/"
        + String.join(",", targets.values());
    LOG.info("restored {} entries into {}; {} of {} verification(s) passed, verified in {} ms", entries, destination,
        results.stream().filter(VerificationResult::ok).count(), results.size(), (System.nanoTime() - written) / 1_000_000);
    return new RestoreResult(input.sourceName(), destination, entries, bytes, results);
  }

  private void write(String db, String rp, byte[] lines, int len) throws IOException {
    try {
      client.write(db, rp, lines, len);
    } catch (InfluxHttpException e) {
      if (e.getMessage().contains("points beyond retention policy dropped")) {
        LOG.warn("{}/{}: {}: points older than the retention policy's duration are not restored", db, rp, e.getMessage());
        return;
      }
      throw e;
    }
  }

  private void createDatabase(Metadata.Database db, String target) throws IOException {
    step = "creating database '" + target + "'";
    client.execute(null, "CREATE DATABASE " + Names.ident(target));
    List<String> have = new ArrayList<>();
    for (Metadata.RetentionPolicy p : export.retentionPolicies(target)) {
      have.add(p.name());
    }
    for (Metadata.RetentionPolicy rp : db.retentionPolicies()) {
      step = "creating retention policy '" + rp.name() + "' on '" + target + "'";
      String spec = " DURATION " + durationLiteral(rp.duration()) + " REPLICATION " + rp.replicaN()
          + " SHARD DURATION " + durationLiteral(rp.shardGroupDuration()) + (rp.isDefault() ? " DEFAULT" : "");
      String on = Names.ident(rp.name()) + " ON " + Names.ident(target);
      client.execute(target, (have.contains(rp.name()) ? "ALTER RETENTION POLICY " : "CREATE RETENTION POLICY ") + on + spec);
    }
  }

  private void createContinuousQueries(Metadata.Database db, String target) throws IOException {
    for (Metadata.ContinuousQuery cq : db.continuousQueries()) {
      step = "creating continuous query '" + cq.name() + "' on '" + target + "'";
      String q = cq.query();
      if (!db.name().equals(target)) {
        q = renameDatabase(q, db.name(), target);
      }
      try {
        client.execute(target, q);
      } catch (InfluxHttpException e) {
        if (!e.getMessage().contains("already exists")) {
          throw e;
        }
        LOG.warn("continuous query {} already exists on {}; kept the existing one", cq.name(), target);
      }
    }
  }

  /**
   * Points a continuous query at another database: {@code ON <db>} and every {@code <db>.} qualifier
   * (InfluxDB prints sources and INTO targets fully qualified).
   */
  static String renameDatabase(String query, String from, String to) {
    String bare = Pattern.quote(from);
    String quoted = Pattern.quote(Names.ident(from));
    Pattern p = Pattern.compile("(?<=[\\s,(])(?:" + quoted + "|" + bare + ")(?=\\.|\\s+BEGIN|\\s+RESAMPLE\\s)");
    Matcher m = p.matcher(query);
    return m.replaceAll(Matcher.quoteReplacement(Names.ident(to)));
  }

  /** A Go duration as an InfluxQL duration literal; {@code 0s} is infinite. */
  static String durationLiteral(String goDuration) {
    long ns = Influx1Export.goDurationNanos(goDuration);
    if (ns == 0) {
      return "INF";
    }
    if (ns % 3_600_000_000_000L == 0) {
      return ns / 3_600_000_000_000L + "h";
    }
    if (ns % 60_000_000_000L == 0) {
      return ns / 60_000_000_000L + "m";
    }
    if (ns % 1_000_000_000L == 0) {
      return ns / 1_000_000_000L + "s";
    }
    return ns / 1_000 + "u";
  }
}
