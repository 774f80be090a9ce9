package dev.cairn.backup.mysql;

import dev.cairn.backup.Secret;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.testing.SourceHarness;
import java.nio.file.Path;

/**
 * The Cairn side of {@code bench/mysql-bench.sh}, until the CLI exists: dumps a database of one server
 * into a directory with {@link MySqlSource} (through {@link SourceHarness}, so without the repository's
 * compression and deduplication), then restores it under another name with {@link MySqlRestorer}
 * (verification included) twice, with and without writing the binlog, and prints the wall times.
 *
 * <pre>
 * MySqlBench URL USER PASSWORD DATABASE RESTORED_NAME DIR THREADS
 * </pre>
 */
public final class MySqlBench {
  private MySqlBench() {}

  /** Runs the dump and the restore; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      System.err.println("usage: MySqlBench URL USER PASSWORD DATABASE RESTORED_NAME DIR THREADS");
      System.exit(2);
    }
    String url = args[0];
    String user = args[1];
    Secret password = Secret.of(args[2]);
    int threads = Integer.parseInt(args[6]);
    long t0 = System.nanoTime();
    SourceHarness dump = SourceHarness.run(MySqlSource.builder().url(url).user(user).password(password)
        .includeDatabases(args[3]).threads(threads).build(), Path.of(args[5]));
    long t1 = System.nanoTime();
    RestoreResult result = dump.restore(MySqlRestorer.builder().url(url).user(user).password(password)
        .renameDatabase(args[3], args[4]).threads(threads).build());
    long t2 = System.nanoTime();
    RestoreResult quiet = dump.restore(MySqlRestorer.builder().url(url).user(user).password(password)
        .renameDatabase(args[3], args[4] + "_nobinlog").threads(threads).writeBinlog(false).build());
    long t3 = System.nanoTime();
    System.out.printf("cairn_dump_seconds=%.2f%n", (t1 - t0) / 1e9);
    System.out.printf("cairn_restore_seconds=%.2f%n", (t2 - t1) / 1e9);
    System.out.printf("cairn_restore_nobinlog_seconds=%.2f verified=%s%n", (t3 - t2) / 1e9, quiet.verified());
    System.out.printf("cairn_restore_tables_verified=%d all_ok=%s%n", result.results().size(), result.verified());
    System.out.printf("cairn_lock_held_micros=%s%n", dump.metadata().get("mysql.lock.heldMicros"));
    if (!result.verified()) {
      System.err.println(result.results());
      System.exit(1);
    }
  }
}
