package dev.cairn.backup.influx;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Backs up an InfluxDB server logically, through its HTTP API, as line protocol in time windows.
 *
 * <p>For 1.x ({@link #v1(String)}) it reads metadata with InfluxQL {@code SHOW} statements and points
 * with chunked {@code SELECT} queries in MessagePack (exact floats and integers, nanosecond epochs);
 * for 2.x ({@link #v2(String)}) it uses influxdb-client-java and Flux with a token. Each measurement's
 * points are written per time window (default one day, aligned to the epoch) to entries
 * {@code <db>/<rp>/<measurement>/<window>.lp} (1.x) or {@code <bucket>/<measurement>/<window>.lp}
 * (2.x), sorted by time and then series key so unchanged windows deduplicate from day to day; the
 * database's retention policies and continuous queries (1.x) or the bucket's settings (2.x) go to
 * {@code <db>/.database.json} or {@code <bucket>/.bucket.json}. Every window and every measurement
 * gets a verification record (point count and checksum) that {@link InfluxRestorer} checks.
 *
 * <pre>{@code
 * Source influx = InfluxSource.v1("http://metrics:8086")
 *     .username("backup").password(Secret.of(pw))
 *     .database("telegraf")
 *     .incrementalHorizon(Duration.ofDays(2))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class InfluxSource implements Source {
  private final Settings settings;

  private InfluxSource(Settings settings) {
    this.settings = settings;
  }

  /** Starts a builder for an InfluxDB 1.x server at {@code url}, e.g. {@code http://localhost:8086}. */
  public static V1Builder v1(String url) {
    return new V1Builder(url);
  }

  /** Starts a builder for an InfluxDB 2.x server at {@code url}, e.g. {@code http://localhost:8086}. */
  public static V2Builder v2(String url) {
    return new V2Builder(url);
  }

  /** The source's name in a plan; {@code influx} unless set. */
  @Override
  public String name() {
    return settings.name();
  }

  /** Always {@code influx}. */
  @Override
  public String type() {
    return "influx";
  }

  /**
   * Checks that the server answers, accepts the credentials and has the selected databases or
   * buckets.
   *
   * @throws dev.cairn.backup.SourceException naming what is wrong
   */
  @Override
  public void check() throws IOException {
    if (settings.api() == 1) {
      new Influx1Backup(settings).check();
    } else {
      new Influx2Backup(settings).check();
    }
  }

  /**
   * Backs the selected databases or buckets up into {@code context}.
   *
   * @throws dev.cairn.backup.SourceException when the server cannot be reached, refuses the
   *     credentials, lacks a selected database or bucket, or fails a query
   */
  @Override
  public void backup(SourceContext context) throws IOException {
    if (settings.api() == 1) {
      new Influx1Backup(settings).run(context);
    } else {
      new Influx2Backup(settings).run(context);
    }
  }

  @Override
  public String toString() {
    return "InfluxSource[" + settings.name() + ", " + settings.url() + ", v" + settings.api() + "]";
  }

  /**
   * Options shared by the 1.x and 2.x builders. Builders are mutable and single-threaded.
   *
   * @param <B> the concrete builder type
   */
  public abstract static class Builder<B extends Builder<B>> {
    final String url;
    String name = "influx";
    final List<String> containers = new ArrayList<>();
    final List<String> measurements = new ArrayList<>();
    Instant from;
    Instant to;
    Duration windowSize = Duration.ofDays(1);
    Duration horizon;
    int chunkSize = 10_000;
    int parallelism = 2;
    Duration timeout = Duration.ofMinutes(10);
    Clock clock = Clock.systemUTC();

    Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** Sets the source's name in a plan (default {@code influx}). */
    public B name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return self();
    }

    /** Backs up only these measurements (default: all). */
    public B measurement(String... names) {
      measurements.addAll(List.of(names));
      return self();
    }

    /**
     * Backs up only points with {@code from <= time < to}; either may be null for no bound (default:
     * all points).
     */
    public B timeRange(Instant from, Instant to) {
      if (from != null && to != null && !from.isBefore(to)) {
        throw new IllegalArgumentException("timeRange: from " + from + " must be before to " + to);
      }
      this.from = from;
      this.to = to;
      return self();
    }

    /**
     * Sets the length of the time windows points are exported in (default one day; whole seconds,
     * at least one second). Windows are aligned to the Unix epoch.
     */
    public B windowSize(Duration windowSize) {
      if (windowSize.compareTo(Duration.ofSeconds(1)) < 0 || windowSize.getNano() != 0) {
        throw new IllegalArgumentException("windowSize must be whole seconds and at least 1s, got " + windowSize);
      }
      this.windowSize = windowSize;
      return self();
    }

    /**
     * Turns on incremental mode: windows that ended more than {@code horizon} ago and are in the
     * parent snapshot are reused from it instead of being queried again. Points written later than
     * the horizon into such a window are then not backed up (see docs/influx.md). Default: off.
     */
    public B incrementalHorizon(Duration horizon) {
      if (horizon.isNegative()) {
        throw new IllegalArgumentException("incrementalHorizon must not be negative, got " + horizon);
      }
      this.horizon = horizon;
      return self();
    }

    /** Sets how many rows the server sends per chunk (default 10,000). */
    public B chunkSize(int chunkSize) {
      if (chunkSize < 1) {
        throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
      }
      this.chunkSize = chunkSize;
      return self();
    }

    /**
     * Sets how many measurements are exported at once (default 2): the server works on one query while
     * Cairn formats the answer of another.
     */
    public B parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
      }
      this.parallelism = parallelism;
      return self();
    }

    /** Sets the timeout of one HTTP request (default 10 minutes). */
    public B timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return self();
    }

    /** Sets the clock the incremental horizon is measured with (default the system clock). */
    public B clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return self();
    }

    Settings settings(int api, String user, Secret password, Secret token, String org) {
      long fromNs = from == null ? Influx1Export.MIN_TIME : Windows.toNanos(from);
      long toNs = to == null ? Influx1Export.MAX_TIME : Windows.toNanos(to);
      return new Settings(name, api, url, user, password, token, org,
          List.copyOf(new LinkedHashSet<>(containers)), List.copyOf(new LinkedHashSet<>(measurements)),
          fromNs, toNs, windowSize.toNanos(), horizon, chunkSize, parallelism, timeout, clock);
    }
  }

  /** Builds an {@link InfluxSource} for InfluxDB 1.x. */
  public static final class V1Builder extends Builder<V1Builder> {
    private String username;
    private Secret password;

    private V1Builder(String url) {
      super(url);
    }

    /** Authenticates as {@code username} (default: no authentication). */
    public V1Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** The password of {@link #username(String)}. */
    public V1Builder password(Secret password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** Backs up only these databases (default: every database except {@code _internal}). */
    public V1Builder database(String... names) {
      containers.addAll(List.of(names));
      return this;
    }

    /**
     * Builds the source.
     *
     * @throws IllegalStateException if a password is set without a username
     */
    public InfluxSource build() {
      if (password != null && username == null) {
        throw new IllegalStateException("InfluxSource.v1: a password needs a username");
      }
      return new InfluxSource(settings(1, username, password, null, null));
    }
  }

  /** Builds an {@link InfluxSource} for InfluxDB 2.x. */
  public static final class V2Builder extends Builder<V2Builder> {
    private Secret token;
    private String org;

    private V2Builder(String url) {
      super(url);
    }

    /** The API token (required): needs read access to the buckets and their organization. */
    public V2Builder token(Secret token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The organization name (required). */
    public V2Builder org(String org) {
      this.org = Objects.requireNonNull(org, "org");
      return this;
    }

    /** Backs up only these buckets (default: every bucket of the organization except system buckets). */
    public V2Builder bucket(String... names) {
      containers.addAll(List.of(names));
      return this;
    }

    /**
     * Builds the source.
     *
     * @throws IllegalStateException if the token or organization is missing
     */
    public InfluxSource build() {
      if (token == null) {
        throw new IllegalStateException("InfluxSource.v2: token(...) is required");
      }
      if (org == null) {
        throw new IllegalStateException("InfluxSource.v2: org(...) is required");
      }
      return new InfluxSource(settings(2, null, null, token, org));
    }
  }
}
