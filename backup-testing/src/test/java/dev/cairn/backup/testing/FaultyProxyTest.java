package dev.cairn.backup.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FaultyProxy}'s latency: every byte arrives late by the latency, and all of them arrive. */
class FaultyProxyTest {
  private ServerSocket echo;
  private Thread echoing;

  @BeforeEach
  void echoServer() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    echoing = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread t = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException ignored) {
              // the client went away
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    });
    echoing.setDaemon(true);
    echoing.start();
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    echoing.join(5_000);
  }

  @Test
  @Timeout(60) // a lost byte would leave the read waiting
  void aRoundTripTakesTwiceTheLatencyAndNoByteIsLost() throws Exception {
    byte[] data = new byte[3_000_000];
    new Random(1).nextBytes(data);
    try (FaultyProxy proxy = FaultyProxy.tcp("127.0.0.1", echo.getLocalPort()).latency(Duration.ofMillis(60));
         Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      OutputStream out = client.getOutputStream();
      InputStream in = client.getInputStream();
      long start = System.nanoTime();
      out.write(42);
      out.flush();
      assertThat(in.read()).isEqualTo(42);
      // there and back again through the proxy: at least two one-way latencies
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(120).toNanos());

      Thread writer = new Thread(() -> {
        try {
          out.write(data);
          out.flush();
        } catch (IOException ignored) {
          // the read below fails then
        }
      });
      writer.start();
      assertThat(in.readNBytes(data.length)).isEqualTo(data);
      writer.join(10_000);
      assertThat(proxy.connections()).isEqualTo(1);
    }
  }

  @Test
  void latencyIsForTcpProxiesOnly() throws IOException {
    try (FaultyProxy http = FaultyProxy.http("127.0.0.1", echo.getLocalPort())) {
      assertThatThrownBy(() -> http.latency(Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class);
    }
    try (FaultyProxy tcp = FaultyProxy.tcp("127.0.0.1", echo.getLocalPort())) {
      assertThatThrownBy(() -> tcp.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
