package dev.cairn.backup.integration;

import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.time.Duration;

/**
 * A TCP link with latency for bench/copy-bench.sh: {@code BenchLatencyProxy HOST PORT MS} listens on a
 * free loopback port, passes every connection on to {@code HOST:PORT} with every byte delayed by
 * {@code MS} milliseconds each way (a {@link FaultyProxy}), prints {@code READY <port>} and runs until
 * its standard input closes or it is killed.
 */
public final class BenchLatencyProxy {
  private BenchLatencyProxy() {}

  /** Starts the proxy; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: BenchLatencyProxy HOST PORT MS");
    }
    try (FaultyProxy link = FaultyProxy.tcp(args[0], Integer.parseInt(args[1]))
        .latency(Duration.ofMillis(Long.parseLong(args[2])))) {
      System.out.println("READY " + link.port());
      System.out.flush();
      try {
        while (System.in.read() >= 0) {
          // run until stdin closes
        }
      } catch (IOException e) {
        // stdin gone: stop
      }
    }
  }
}
