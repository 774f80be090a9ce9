package dev.cairn.backup.internal.storage;

import java.time.Duration;

/** Waits for a while; injected so that tests of retries and rate limits do not really sleep. */
@FunctionalInterface
public interface Sleeper {
  /** Sleeps with {@link Thread#sleep}. */
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));

  /** Waits for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;
}
