package dev.cairn.backup.mysql;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dumps many tables over several connections at once. A table with a one-column integer key is split
 * into key ranges whose bounds are multiples of a power of two (so the same rows land in the same file
 * from day to day while the table grows); other tables are one task each. Used by the backup (writing
 * data files) and by the restore's verification (only checksumming).
 */
final class ParallelDumper {

  /** One unit of work: a table, the task's index within the table, and its key range (or null). */
  record Task(TableDef table, int index, String where, boolean ranged) {}

  /** Receives the lines of one task. */
  interface TaskSink extends RowEncoder.LineSink, AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** Opens the sink of a task. */
  interface SinkFactory {
    TaskSink open(Task task) throws IOException;
  }

  /** Called once per table, after its last task, with its total rows and checksum. */
  interface TableListener {
    void done(TableDef table, RowChecksum checksum) throws IOException;
  }

  private ParallelDumper() {}

  /**
   * Plans the tasks of {@code tables} on {@code planner} (inside the same consistent snapshot as the
   * dump, for a backup), then runs them on {@code connections}, one thread per connection.
   */
  static void run(List<Connection> connections, List<TableDef> tables, long rowsPerChunk, SinkFactory sinks,
      TableListener listener) throws SQLException, IOException {
    List<TableDef> bySize = new ArrayList<>(tables);
    bySize.sort(Comparator.comparingLong(TableDef::estimatedRows).reversed());
    ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    Map<TableDef, AtomicInteger> remaining = new HashMap<>();
    Map<TableDef, RowChecksum> totals = new HashMap<>();
    for (TableDef t : bySize) {
      List<Task> tasks = plan(connections.get(0), t, rowsPerChunk);
      remaining.put(t, new AtomicInteger(tasks.size()));
      totals.put(t, new RowChecksum());
      queue.addAll(tasks);
    }
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool = pool(connections.size(), "cairn-mysql-dump");
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Connection c : connections) {
        futures.add(pool.submit(() -> {
          RowEncoder encoder = new RowEncoder();
          Task task;
          while (!failed.get() && (task = queue.poll()) != null) {
            RowChecksum sum = new RowChecksum();
            try (TaskSink sink = sinks.open(task)) {
              encoder.dump(c, task.table(), task.where(), sum, sink);
            } catch (SQLException | IOException | RuntimeException e) {
              failed.set(true);
              throw e;
            }
            RowChecksum total = totals.get(task.table());
            boolean last;
            synchronized (total) {
              total.add(sum);
              last = remaining.get(task.table()).decrementAndGet() == 0;
            }
            if (last) {
              listener.done(task.table(), total);
            }
          }
          return null;
        }));
      }
      await(futures, "dumping tables");
    } finally {
      pool.shutdownNow();
    }
  }

  /** A fixed pool of daemon threads named {@code name}. */
  static ExecutorService pool(int threads, String name) {
    return Executors.newFixedThreadPool(threads, r -> {
      Thread th = new Thread(r, name);
      th.setDaemon(true);
      return th;
    });
  }

  /** Waits for every task, rethrowing the first failure as it was thrown. */
  static void await(List<Future<Void>> futures, String what) throws SQLException, IOException {
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException s) {
          throw s;
        }
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while " + what, e);
      }
    }
  }

  /** Splits a table into tasks; see the class comment. */
  static List<Task> plan(Connection c, TableDef t, long rowsPerChunk) throws SQLException {
    if (!t.integerKey() || t.estimatedRows() <= rowsPerChunk) {
      return List.of(new Task(t, 0, null, false));
    }
    String k = Names.quote(t.key().get(0));
    BigInteger min;
    BigInteger max;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MIN(" + k + "), MAX(" + k + ") FROM " + t.source())) {
      rs.next();
      if (rs.getString(1) == null) {
        return List.of(new Task(t, 0, null, false));
      }
      min = new BigInteger(rs.getString(1));
      max = new BigInteger(rs.getString(2));
    }
    return ranges(t, min, max, rowsPerChunk);
  }

  /** Range tasks covering every key; the first and last are open-ended. */
  static List<Task> ranges(TableDef t, BigInteger min, BigInteger max, long rowsPerChunk) {
    BigInteger span = max.subtract(min).add(BigInteger.ONE);
    long parts = Math.max(1, (t.estimatedRows() + rowsPerChunk - 1) / rowsPerChunk);
    BigInteger raw = span.add(BigInteger.valueOf(parts - 1)).divide(BigInteger.valueOf(parts));
    BigInteger step = BigInteger.ONE.shiftLeft(Math.max(0, raw.subtract(BigInteger.ONE).bitLength()));
    BigInteger first = floorDiv(min, step);
    BigInteger last = floorDiv(max, step);
    String k = Names.quote(t.key().get(0));
    List<Task> tasks = new ArrayList<>();
    int index = 0;
    for (BigInteger b = first; b.compareTo(last) <= 0; b = b.add(BigInteger.ONE)) {
      BigInteger lo = b.multiply(step);
      BigInteger hi = lo.add(step);
      String where;
      if (b.equals(first) && b.equals(last)) {
        where = null;
      } else if (b.equals(first)) {
        where = k + " < " + hi;
      } else if (b.equals(last)) {
        where = k + " >= " + lo;
      } else {
        where = k + " >= " + lo + " AND " + k + " < " + hi;
      }
      tasks.add(new Task(t, index++, where, true));
    }
    return tasks;
  }

  private static BigInteger floorDiv(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.divideAndRemainder(b);
    return qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
  }
}
