package dev.cairn.backup.mysql;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import java.nio.file.Path;

/**
 * The repository side of {@code bench/mysql-bench.sh}: one backup of a database through the real
 * engine (chunking, deduplication, zstd-3, encryption) into a local repository, created on the first
 * run; prints the wall time and the bytes the repository grew by.
 *
 * <pre>
 * MySqlRepoBench URL USER PASSWORD DATABASE REPOSITORY THREADS
 * </pre>
 */
public final class MySqlRepoBench {
  private MySqlRepoBench() {}

  /** Runs one backup; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: MySqlRepoBench URL USER PASSWORD DATABASE REPOSITORY THREADS");
      System.exit(2);
    }
    BackupPlan plan = BackupPlan.builder()
        .name("bench")
        .source(MySqlSource.builder().url(args[0]).user(args[1]).password(Secret.of(args[2]))
            .includeDatabases(args[3]).threads(Integer.parseInt(args[5])).build())
        .target(Target.of("local", Storages.local(Path.of(args[4]))))
        .encryption(Encryption.passphrase(Secret.of("bench")))
        .createRepository(true)
        .build();
    long t0 = System.nanoTime();
    BackupReport report = plan.backup();
    System.out.printf("repo_backup_seconds=%.2f%n", (System.nanoTime() - t0) / 1e9);
    System.out.printf("repo_bytes_total=%d%nrepo_bytes_new=%d%nrepo_bytes_stored=%d%n", report.bytesTotal(),
        report.bytesNew(), report.bytesStored());
  }
}
