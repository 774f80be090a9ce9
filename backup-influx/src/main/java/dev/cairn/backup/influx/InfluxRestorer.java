package dev.cairn.backup.influx;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Restorer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Restores an {@link InfluxSource} snapshot into an InfluxDB server and verifies it.
 *
 * <p>The target database (1.x) or bucket (2.x) must not exist yet, or be empty; one that holds data is
 * refused with a {@link dev.cairn.backup.RestoreException} before anything changes, unless
 * {@link Builder#allowNonEmpty(boolean)}. Databases are created with their retention policies, points
 * are written in batches (line protocol, nanosecond precision), several batches in parallel, with
 * retries on transient errors; continuous queries are recreated after the data (1.x). Then every
 * recorded window and measurement is queried back with the same code the backup used and its point
 * count and checksum compared: {@link RestoreResult#results()} names each one and its outcome.
 *
 * <pre>{@code
 * RestoreResult r = InfluxRestorer.v1("http://localhost:8086")
 *     .rename("telegraf", "telegraf_restored")
 *     .build()
 *     .restore(input);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class InfluxRestorer implements Restorer {
  private final RestoreSettings settings;

  private InfluxRestorer(RestoreSettings settings) {
    this.settings = settings;
  }

  /** Starts a builder restoring into an InfluxDB 1.x server at {@code url}. */
  public static Builder v1(String url) {
    return new Builder(1, url);
  }

  /** Starts a builder restoring into an InfluxDB 2.x server at {@code url}; needs a token and an org. */
  public static Builder v2(String url) {
    return new Builder(2, url);
  }

  /** Always {@code influx}. */
  @Override
  public String type() {
    return "influx";
  }

  /**
   * Restores and verifies {@code input}.
   *
   * @throws dev.cairn.backup.RestoreException when the target holds data (and that is not allowed),
   *     the server cannot be reached or refuses the credentials, or a write fails permanently
   */
  @Override
  public RestoreResult restore(RestoreInput input) throws IOException {
    return settings.api() == 1 ? new Influx1Restore(settings).restore(input)
        : new Influx2Restore(settings).restore(input);
  }

  /** Builds an {@link InfluxRestorer}. Mutable and single-threaded. */
  public static final class Builder {
    private final int api;
    private final String url;
    private String username;
    private Secret password;
    private Secret token;
    private String org;
    private final Map<String, String> renames = new LinkedHashMap<>();
    private String target;
    private boolean allowNonEmpty;
    private boolean continuousQueries = true;
    private int batchSize = 5_000;
    private int parallelism = 4;
    private int maxRetries = 5;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration timeout = Duration.ofMinutes(10);

    private Builder(int api, String url) {
      this.api = api;
      this.url = Objects.requireNonNull(url, "url");
    }

    /** 1.x: authenticates as {@code username} (default: no authentication). */
    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /** 1.x: the password of {@link #username(String)}. */
    public Builder password(Secret password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** 2.x: the API token (required for 2.x); needs write access and, to create buckets, bucket creation rights. */
    public Builder token(Secret token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** 2.x: the organization the buckets belong to (required for 2.x). */
    public Builder org(String org) {
      this.org = Objects.requireNonNull(org, "org");
      return this;
    }

    /** Restores the snapshot's database or bucket {@code from} under the name {@code to}. */
    public Builder rename(String from, String to) {
      renames.put(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
      return this;
    }

    /** Restores the snapshot's only database (1.x) or bucket (2.x) under {@code name}. */
    public Builder target(String name) {
      this.target = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Whether the snapshot's continuous queries (1.x) are recreated; default true. A restore drill beside
     * production leaves them out: one whose {@code INTO} names another database would write there.
     */
    public Builder continuousQueries(boolean create) {
      this.continuousQueries = create;
      return this;
    }

    /** Allows restoring into a database or bucket that already holds data (default false). */
    public Builder allowNonEmpty(boolean allow) {
      this.allowNonEmpty = allow;
      return this;
    }

    /** Points per write request (default 5,000). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Write requests in flight at once (default 4). */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be positive, got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /** Retries of a write after a transient error (default 5), with backoff doubling from {@code backoff}. */
    public Builder retries(int maxRetries, Duration backoff) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
      }
      this.maxRetries = maxRetries;
      this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Timeout of one HTTP request (default 10 minutes). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Builds the restorer.
     *
     * @throws IllegalStateException if a 2.x restorer lacks a token or an org, or a password is set
     *     without a username
     */
    public InfluxRestorer build() {
      if (api == 2 && (token == null || org == null)) {
        throw new IllegalStateException("InfluxRestorer.v2 needs token(...) and org(...)");
      }
      if (password != null && username == null) {
        throw new IllegalStateException("InfluxRestorer.v1: a password needs a username");
      }
      return new InfluxRestorer(new RestoreSettings(api, url, username, password, token, org,
          Map.copyOf(renames), target, allowNonEmpty, batchSize, parallelism, maxRetries, retryBackoff, timeout,
          continuousQueries));
    }
  }
}
