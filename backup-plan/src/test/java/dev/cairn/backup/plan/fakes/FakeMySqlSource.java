package dev.cairn.backup.plan.fakes;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.time.Duration;
import java.util.List;

/** Has the builder shape of backup-mysql's MySqlSource, to test the reflective plan-file factory. */
public final class FakeMySqlSource implements Source {
  public final String name;
  public final String url;
  public final String user;
  public final Secret password;
  public final List<String> databases;
  public final List<String> excludeTables;
  public final int threads;
  public final Duration lockWait;

  private FakeMySqlSource(Builder b) {
    name = b.name;
    url = b.url;
    user = b.user;
    password = b.password;
    databases = b.databases;
    excludeTables = b.excludeTables;
    threads = b.threads;
    lockWait = b.lockWait;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override public String name() { return name; }
  @Override public String type() { return "mysql"; }
  @Override public void backup(SourceContext context) {}

  /** Builder. */
  public static final class Builder {
    private String name = "mysql";
    private String url;
    private String user;
    private Secret password;
    private List<String> databases = List.of();
    private List<String> excludeTables = List.of();
    private int threads = 2;
    private Duration lockWait;

    public Builder name(String name) { this.name = name; return this; }
    public Builder url(String url) {
      if (!url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
        throw new IllegalArgumentException("not a MySQL JDBC URL: " + url);
      }
      this.url = url;
      return this;
    }
    public Builder user(String user) { this.user = user; return this; }
    public Builder password(Secret password) { this.password = password; return this; }
    public Builder includeDatabases(String... patterns) { databases = List.of(patterns); return this; }
    public Builder excludeDatabases(String... patterns) { return this; }
    public Builder includeTables(String... patterns) { return this; }
    public Builder excludeTables(String... patterns) { excludeTables = List.of(patterns); return this; }
    public Builder threads(int threads) { this.threads = threads; return this; }
    public Builder lockWaitTimeout(Duration timeout) { lockWait = timeout; return this; }
    public Builder includeUsers(boolean include) { return this; }
    public FakeMySqlSource build() { return new FakeMySqlSource(this); }
  }
}
