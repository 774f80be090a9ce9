package dev.cairn.backup.plan.fakes;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceContext;
import java.time.Duration;
import java.util.List;

/**
 * Has the builder shape of backup-influx's InfluxSource (v1/v2 builders sharing a non-public generic
 * superclass), to test the reflective plan-file factory.
 */
public final class FakeInfluxSource implements Source {
  public String name;
  public String url;
  public int version;
  public List<String> databases = List.of();
  public Secret token;
  public Duration window;

  public static V1Builder v1(String url) {
    V1Builder b = new V1Builder();
    b.s.url = url;
    b.s.version = 1;
    return b;
  }

  public static V2Builder v2(String url) {
    V2Builder b = new V2Builder();
    b.s.url = url;
    b.s.version = 2;
    return b;
  }

  @Override public String name() { return name; }
  @Override public String type() { return "influx"; }
  @Override public void backup(SourceContext context) {}

  abstract static class Builder<B extends Builder<B>> {
    final FakeInfluxSource s = new FakeInfluxSource();

    @SuppressWarnings("unchecked")
    public B name(String name) { s.name = name; return (B) this; }
    @SuppressWarnings("unchecked")
    public B measurement(String... names) { return (B) this; }
    @SuppressWarnings("unchecked")
    public B windowSize(Duration d) { s.window = d; return (B) this; }
    @SuppressWarnings("unchecked")
    public B incrementalHorizon(Duration d) { return (B) this; }
    public FakeInfluxSource build() { return s; }
  }

  /** 1.x builder. */
  public static final class V1Builder extends Builder<V1Builder> {
    public V1Builder username(String u) { return this; }
    public V1Builder password(Secret p) { return this; }
    public V1Builder database(String... names) { s.databases = List.of(names); return this; }
  }

  /** 2.x builder. */
  public static final class V2Builder extends Builder<V2Builder> {
    public V2Builder token(Secret t) { s.token = t; return this; }
    public V2Builder org(String o) { return this; }
    public V2Builder bucket(String... names) { s.databases = List.of(names); return this; }
  }
}
