package dev.cairn.backup.plan;

import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.spi.Source;
import dev.cairn.backup.spi.SourceFactory;
import dev.cairn.backup.spi.SourceSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mysql} and {@code influx} source types for plan files, built through the public builders
 * of {@code backup-mysql} and {@code backup-influx} by reflection, so that this module needs neither at
 * compile time. Used only when the module's classes are on the class path and no
 * {@link SourceFactory} for the type is registered (a registered factory wins). Thread-safe.
 */
final class ReflectiveSourceFactory implements SourceFactory {
  static final String MYSQL_CLASS = "dev.cairn.backup.mysql.MySqlSource";
  static final String INFLUX_CLASS = "dev.cairn.backup.influx.InfluxSource";
  private static final Set<String> MYSQL_KEYS = Set.of("url", "user", "password", "databases", "exclude-databases",
      "tables", "exclude-tables", "threads", "lock-wait-timeout", "include-users");
  private static final Set<String> INFLUX_KEYS = Set.of("url", "version", "username", "password", "token", "org",
      "databases", "buckets", "measurements", "window", "incremental-horizon");

  private final String type;
  private final Class<?> sourceClass;

  ReflectiveSourceFactory(String type, Class<?> sourceClass) {
    this.type = type;
    this.sourceClass = sourceClass;
  }

  /** The built-in factory for {@code type} if its module's class is loadable from {@code loader}. */
  static Optional<SourceFactory> find(String type, ClassLoader loader) {
    String className = switch (type) {
      case "mysql" -> MYSQL_CLASS;
      case "influx" -> INFLUX_CLASS;
      default -> null;
    };
    if (className == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ReflectiveSourceFactory(type, Class.forName(className, false, loader)));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public Set<String> keys() {
    return type.equals("mysql") ? MYSQL_KEYS : INFLUX_KEYS;
  }

  @Override
  public Source create(SourceSettings s) {
    String url = s.string("url").orElseThrow(() -> s.error(null, "missing required key 'url'"));
    Object b;
    if (type.equals("mysql")) {
      b = staticCall(s, "builder");
      call(s, "url", b, "url", url);
      set(s, b, "user", "user", s.string("user").orElse(null));
      set(s, b, "password", "password", s.secret("password").orElse(null));
      setList(s, b, "databases", "includeDatabases");
      setList(s, b, "exclude-databases", "excludeDatabases");
      setList(s, b, "tables", "includeTables");
      setList(s, b, "exclude-tables", "excludeTables");
      set(s, b, "threads", "threads", s.string("threads").map(v -> integer(s, "threads", v)).orElse(null));
      set(s, b, "lock-wait-timeout", "lockWaitTimeout", s.duration("lock-wait-timeout").orElse(null));
      set(s, b, "include-users", "includeUsers", s.string("include-users").map(Boolean::parseBoolean).orElse(null));
    } else {
      String version = s.string("version").orElse("1");
      if (!version.equals("1") && !version.equals("2")) {
        throw s.error("version", "InfluxDB version is 1 or 2, not '" + version + "'");
      }
      boolean v2 = version.equals("2");
      b = staticCall(s, v2 ? "v2" : "v1", url);
      if (v2) {
        set(s, b, "token", "token", s.secret("token").orElse(null));
        set(s, b, "org", "org", s.string("org").orElse(null));
        setList(s, b, "buckets", "bucket");
      } else {
        set(s, b, "username", "username", s.string("username").orElse(null));
        set(s, b, "password", "password", s.secret("password").orElse(null));
        setList(s, b, "databases", "database");
      }
      setList(s, b, "measurements", "measurement");
      set(s, b, "window", "windowSize", s.duration("window").orElse(null));
      set(s, b, "incremental-horizon", "incrementalHorizon", s.duration("incremental-horizon").orElse(null));
    }
    set(s, b, null, "name", s.name());
    return (Source) call(s, null, b, "build");
  }

  private Object staticCall(SourceSettings s, String method, Object... args) {
    return invoke(s, null, sourceClass, null, method, args);
  }

  private static Object call(SourceSettings s, String key, Object target, String method, Object... args) {
    return invoke(s, key, target.getClass(), target, method, args);
  }

  private static void set(SourceSettings s, Object builder, String key, String method, Object value) {
    if (value != null) {
      call(s, key, builder, method, value);
    }
  }

  private static void setList(SourceSettings s, Object builder, String key, String method) {
    List<String> values = s.strings(key);
    if (!values.isEmpty()) {
      call(s, key, builder, method, (Object) values.toArray(String[]::new));
    }
  }

  private static Object invoke(SourceSettings s, String key, Class<?> type, Object target, String name, Object... args) {
    for (Method m : type.getMethods()) {
      if (!m.getName().equals(name) || m.getParameterCount() != args.length
          || Modifier.isStatic(m.getModifiers()) != (target == null) || !fits(m.getParameterTypes(), args)) {
        continue;
      }
      try {
        // builder methods may be declared in a non-public superclass (InfluxSource's shared Builder)
        m.trySetAccessible();
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ConfigurationException ce) {
          throw ce;
        }
        throw s.error(key, cause.getMessage() == null ? cause.toString() : cause.getMessage());
      } catch (IllegalAccessException e) {
        break;
      }
    }
    throw s.error(key, "the " + type.getName() + " on the class path has no usable method " + name + "("
        + args.length + " argument(s)); its version does not match this backup-plan");
  }

  private static boolean fits(Class<?>[] params, Object[] args) {
    for (int i = 0; i < params.length; i++) {
      Class<?> p = params[i].isPrimitive() ? box(params[i]) : params[i];
      if (args[i] != null && !p.isInstance(args[i])) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> box(Class<?> primitive) {
    if (primitive == int.class) {
      return Integer.class;
    }
    if (primitive == boolean.class) {
      return Boolean.class;
    }
    if (primitive == long.class) {
      return Long.class;
    }
    return primitive;
  }

  private static int integer(SourceSettings s, String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw s.error(key, "expected a whole number, found '" + value + "'");
    }
  }
}
