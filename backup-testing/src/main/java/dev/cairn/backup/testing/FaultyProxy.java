package dev.cairn.backup.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a real server, for fault tests: it can reset every connection
 * once a number of client-to-server bytes has passed (a connection lost mid-upload), and, in HTTP
 * mode, answer the next requests with an error status such as 503 without passing them on.
 *
 * <p>HTTP mode reads each request's head and forwards its body by {@code Content-Length}, so it sees
 * every request on kept-alive connections too; a request with a chunked body switches its connection
 * to plain forwarding. Listens on 127.0.0.1 on a free port. Thread-safe.
 */
public final class FaultyProxy implements Closeable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final boolean http;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong cutAfter = new AtomicLong(-1);
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicInteger errorAnswers = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile int errorStatus = 503;
  private volatile long latencyNanos;
  private volatile boolean closed;
  private final Thread acceptor;

  private FaultyProxy(String host, int port, boolean http) throws IOException {
    this.target = new InetSocketAddress(host, port);
    this.http = http;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "faulty-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a plain TCP proxy to {@code host:port}. */
  public static FaultyProxy tcp(String host, int port) throws IOException {
    return new FaultyProxy(host, port, false);
  }

  /** Starts an HTTP-aware proxy to {@code host:port}, able to answer requests with an error status. */
  public static FaultyProxy http(String host, int port) throws IOException {
    return new FaultyProxy(host, port, true);
  }

  /** The local port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Once {@code bytes} more client-to-server bytes have been forwarded (over all connections),
   * resets every open connection, once. Bytes beyond that point are not forwarded.
   */
  public FaultyProxy cutAfterUpstreamBytes(long bytes) {
    cutAfter.set(bytes);
    return this;
  }

  /**
   * Answers the next {@code times} HTTP requests with {@code status} and closes their connections,
   * without passing them to the server (HTTP mode only).
   */
  public FaultyProxy answerNextRequests(int status, int times) {
    if (!http) {
      throw new IllegalStateException("error answers need an HTTP proxy: use FaultyProxy.http");
    }
    errorStatus = status;
    errorAnswers.set(times);
    return this;
  }

  /**
   * Delays every byte by {@code oneWay} in each direction on connections opened from now on, as a
   * network link with that latency does (a round trip costs twice {@code oneWay}); throughput is kept,
   * with at most 16 MiB held per direction and connection (TCP mode only).
   */
  public FaultyProxy latency(Duration oneWay) {
    if (http) {
      throw new IllegalStateException("latency needs a TCP proxy: use FaultyProxy.tcp");
    }
    if (oneWay.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + oneWay);
    }
    latencyNanos = oneWay.toNanos();
    return this;
  }

  /** Client-to-server bytes forwarded so far. */
  public long upstreamBytes() {
    return upstreamBytes.get();
  }

  /** HTTP requests seen so far, answered or forwarded (HTTP mode only). */
  public int requests() {
    return requests.get();
  }

  /** Client connections accepted and passed on so far (a client that reuses connections opens few). */
  public int connections() {
    return connections.get();
  }

  /** How many times connections were cut by {@link #cutAfterUpstreamBytes}. */
  public int cuts() {
    return cuts.get();
  }

  /** Resets every open connection now. */
  public void dropConnections() {
    for (Socket s : open) {
      reset(s);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    // A thread blocked in accept() may still take one connection after close() returned (the JDK
    // closes the socket only once that thread wakes up): wait for it, so a closed proxy is really gone.
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dropConnections();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (closed) {
        reset(client); // accepted while closing
        return;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
        // pass each write on as it comes, as a network does: Nagle's algorithm here would hold small
        // writes back for the peer's delayed acknowledgements (up to 40 ms each on Linux)
        upstream.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
      } catch (IOException e) {
        reset(client);
        continue;
      }
      connections.incrementAndGet();
      open.add(client);
      open.add(upstream);
      start("up", () -> pumpUp(client, upstream));
      start("down", () -> pump(upstream, client, false));
    }
  }

  private void start(String what, Runnable r) {
    Thread t = new Thread(r, "faulty-proxy-" + what + "-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  private void pumpUp(Socket client, Socket upstream) {
    if (!http) {
      pump(client, upstream, true);
      return;
    }
    try {
      InputStream in = client.getInputStream();
      OutputStream out = upstream.getOutputStream();
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          break;
        }
        requests.incrementAndGet();
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String lower = text.toLowerCase(Locale.ROOT);
        long contentLength = header(lower, "content-length");
        if (errorAnswers.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
          if (!lower.contains("\nexpect: 100-continue") && contentLength > 0) {
            in.skipNBytes(contentLength);
          }
          String reason = errorStatus == 503 ? "Slow Down" : "Injected";
          String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
              + (errorStatus == 503 ? "SlowDown" : "InternalError") + "</Code><Message>injected by FaultyProxy</Message></Error>";
          String answer = "HTTP/1.1 " + errorStatus + " " + reason + "\r\nContent-Type: application/xml\r\n"
              + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
          client.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
          client.getOutputStream().flush();
          break;
        }
        if (!forward(out, head, head.length)) {
          return;
        }
        if (lower.contains("\ntransfer-encoding: chunked")) {
          pump(client, upstream, true);
          return;
        }
        long remaining = Math.max(contentLength, 0);
        byte[] buf = new byte[64 * 1024];
        while (remaining > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
          if (n < 0) {
            break;
          }
          if (!forward(out, buf, n)) {
            return;
          }
          remaining -= n;
        }
      }
    } catch (IOException e) {
      // one side went away: close both below
    }
    closeBoth(client, upstream);
  }

  private static long header(String lowerHead, String name) {
    int i = lowerHead.indexOf("\n" + name + ":");
    if (i < 0) {
      return -1;
    }
    int end = lowerHead.indexOf('\r', i + 1);
    return Long.parseLong(lowerHead.substring(i + name.length() + 2, end < 0 ? lowerHead.length() : end).trim());
  }

  /** Reads up to and including the blank line ending a request head; null at a clean end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
          : b == '\r' ? 1 : 0;
    }
    return head.toByteArray();
  }

  /** Forwards {@code n} bytes upstream, cutting every connection if the armed limit is reached. */
  private boolean forward(OutputStream out, byte[] buf, int n) throws IOException {
    long limit = cutAfter.get();
    if (limit >= 0 && n >= limit && cutAfter.compareAndSet(limit, -1)) {
      out.write(buf, 0, (int) limit);
      out.flush();
      upstreamBytes.addAndGet(limit);
      cuts.incrementAndGet();
      dropConnections();
      return false;
    }
    if (limit >= 0) {
      cutAfter.compareAndSet(limit, limit - n);
    }
    out.write(buf, 0, n);
    out.flush();
    upstreamBytes.addAndGet(n);
    return true;
  }

  private void pump(Socket from, Socket to, boolean upstream) {
    long delay = latencyNanos;
    if (delay > 0) {
      pumpDelayed(from, to, upstream, delay);
      return;
    }
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (upstream) {
          if (!forward(out, buf, n)) {
            return;
          }
        } else {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // one side went away
    }
    closeBoth(from, to);
  }

  /** As {@link #pump}, each read passed on {@code delay} nanoseconds after it arrived, by a second thread. */
  private void pumpDelayed(Socket from, Socket to, boolean upstream, long delay) {
    BlockingQueue<Delayed> queue = new ArrayBlockingQueue<>(256); // of at most 64 KiB each
    Thread reader = Thread.currentThread();
    start("delay", () -> {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Delayed d = queue.take();
          long wait = d.due() - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          if (d.bytes() == null) {
            break;
          }
          if (upstream) {
            if (!forward(out, d.bytes(), d.bytes().length)) {
              return;
            }
          } else {
            out.write(d.bytes());
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeBoth(from, to);
      reader.interrupt(); // it may wait for room in the queue, which nobody empties any more
    });
    byte[] buf = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        queue.put(new Delayed(System.nanoTime() + delay, Arrays.copyOf(buf, n)));
      }
    } catch (IOException e) {
      // one side went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      queue.put(new Delayed(System.nanoTime() + delay, null)); // the end, after what came before it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Bytes to pass on at {@code due} ({@link System#nanoTime()}); null bytes: the end of the stream. */
  private record Delayed(long due, byte[] bytes) {}

  private void closeBoth(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
      open.remove(s);
    }
  }

  private void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close with RST, as a dropped link or a killed server looks
    } catch (SocketException ignored) {
      // already closed
    }
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
    open.remove(s);
  }
}
