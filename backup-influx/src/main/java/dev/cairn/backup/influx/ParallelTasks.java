package dev.cairn.backup.influx;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs I/O tasks on a few threads and rethrows the first failure; the tasks are independent. */
final class ParallelTasks {
  private ParallelTasks() {}

  static void run(int parallelism, List<Errors.IoAction<Void>> tasks) throws IOException {
    if (parallelism <= 1 || tasks.size() <= 1) {
      for (Errors.IoAction<Void> t : tasks) {
        t.run();
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tasks.size()), r -> {
      Thread t = new Thread(r, "cairn-influx");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Errors.IoAction<Void> t : tasks) {
        futures.add(pool.submit(t::run));
      }
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          Throwable c = e.getCause();
          if (c instanceof IOException io) {
            throw io;
          }
          if (c instanceof RuntimeException re) {
            throw re;
          }
          throw new IOException(c);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while talking to InfluxDB");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
