package dev.cairn.backup.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;

/**
 * The CPU cost of each benchmarked stage, in MiB per CPU-second, measured with the process's CPU
 * time instead of wall time: a complement to the JMH scores that stays meaningful on a shared,
 * loaded machine (where wall-clock scores only give lower bounds). Runs the JMH benchmark methods
 * directly, warms each up for a few CPU-seconds (so the JIT has compiled the crypto intrinsics), then
 * measures. For {@code RepositoryWriteBenchmark} the cost includes all its threads; on a quiet
 * machine with {@code n} cores the write path cannot exceed {@code n ×} that figure.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -cp backup-benchmarks/target/benchmarks.jar dev.cairn.backup.benchmarks.CpuCost
 * </pre>
 */
public final class CpuCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CpuCost() {}

  /** Runs every stage and prints one line each. */
  public static void main(String[] args) throws Exception {
    double warm = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    ChunkerBenchmark chunker = new ChunkerBenchmark();
    chunker.setUp();
    stage("chunker pull (FastCDC)", chunker::pull, 64, warm, measure, false);
    stage("chunker push (64 KiB writes)", chunker::push, 64, warm, measure, false);
    HashBenchmark hash = new HashBenchmark();
    hash.setUp();
    stage("HMAC-SHA-256", hash::hmacSha256, 1, warm, measure, false);
    stage("SHA-256", hash::sha256, 1, warm, measure, false);
    EncryptBenchmark aes = new EncryptBenchmark();
    aes.setUp();
    stage("AES-256-GCM encrypt (64 KiB slices)", aes::encrypt, 1, warm, measure, false);
    stage("AES-256-GCM decrypt", aes::decrypt, 1, warm, measure, false);
    for (int level : new int[] {1, 3, 6}) {
      CompressBenchmark zstd = new CompressBenchmark();
      zstd.codec = "zstd";
      zstd.level = level;
      zstd.setUp();
      stage("zstd " + level + " compress text-like", zstd::compressText, 1, warm, measure, false);
      stage("zstd " + level + " try random (stored raw)", zstd::compressRandom, 1, warm, measure, false);
      stage("zstd " + level + " decompress text-like", zstd::decompressText, 1, warm, measure, false);
      zstd.tearDown();
    }
    for (int level : new int[] {1, 3}) {
      RepositoryWriteBenchmark write = new RepositoryWriteBenchmark();
      write.level = level;
      write.setUpData();
      stage("repository write path, zstd " + level + " (all threads)", () -> {
        write.setUpRepository();
        try {
          return write.write();
        } finally {
          write.tearDownRepository();
        }
      }, 128, warm * 3, measure * 3, true);
    }
  }

  private static void stage(String name, Callable<?> op, int mibPerOp, double warmCpuSeconds,
      double measureCpuSeconds, boolean wholeProcess) throws Exception {
    long start = cpu(wholeProcess);
    while (cpu(wholeProcess) - start < warmCpuSeconds * 1e9) {
      op.call();
    }
    long cpu0 = cpu(wholeProcess);
    long wall0 = System.nanoTime();
    long mib = 0;
    while (cpu(wholeProcess) - cpu0 < measureCpuSeconds * 1e9) {
      op.call();
      mib += mibPerOp;
    }
    double cpuSeconds = (cpu(wholeProcess) - cpu0) / 1e9;
    double wallSeconds = (System.nanoTime() - wall0) / 1e9;
    System.out.printf("%-55s %8.0f MiB/CPU-s   (%5.0f MiB/s wall, %d MiB)%n", name, mib / cpuSeconds,
        mib / wallSeconds, mib);
  }

  private static long cpu(boolean wholeProcess) {
    return wholeProcess ? OS.getProcessCpuTime() : THREADS.getCurrentThreadCpuTime();
  }
}
