package dev.cairn.backup.benchmarks;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Compression;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One step of the hot-path comparison with restic, run as its own JVM so that {@code /usr/bin/time -v}
 * measures its CPU time and peak RSS (scripts/hotpath-bench.sh drives it):
 *
 * <pre>
 * java -cp backup-benchmarks/target/benchmarks.jar dev.cairn.backup.benchmarks.HotPathRun gen CORPUS MIB
 * java -cp ... HotPathRun init REPO [ZSTD_LEVEL] | backup REPO CORPUS | change CORPUS | restore REPO DEST
 * </pre>
 *
 * <p>The corpus is the mix: half text-like, a third random, a fifth duplicated files,
 * thousands of small files, and a few large files; reproducible (fixed seeds). {@code change}
 * rewrites about 1 % of it in place (a few MiB in the large files, some small files).
 */
public final class HotPathRun {
  private static final Secret PASSPHRASE = Secret.of("bench");

  private HotPathRun() {}

  /** Runs the step named by the first argument. */
  public static void main(String[] args) throws IOException {
    long t0 = System.nanoTime();
    switch (args[0]) {
      case "gen" -> generate(Path.of(args[1]), Long.parseLong(args[2]) << 20);
      case "init" -> {
        Repository.Builder b = Repository.builder(Storages.local(Path.of(args[1]))).passphrase(PASSPHRASE)
            .keyDerivation(16 * 1024, 1, 1);
        if (args.length > 2) {
          b.compression(Compression.zstd(Integer.parseInt(args[2])));
        }
        try (Repository r = b.init()) {
          System.out.println("init " + r.location());
        }
      }
      case "backup" -> {
        try (Repository r = Repository.open(Storages.local(Path.of(args[1])), PASSPHRASE)) {
          BackupReport b = r.backup(List.of(FileSource.of(Path.of(args[2])).name("corpus")));
          System.out.println("backup files=" + b.files() + " read=" + b.bytesRead() + " new=" + b.bytesNew()
              + " stored=" + b.bytesStored());
        }
      }
      case "change" -> change(Path.of(args[1]));
      case "restore" -> {
        try (Repository r = Repository.open(Storages.local(Path.of(args[1])), PASSPHRASE)) {
          RestoreReport rr = r.restore(RestoreRequest.builder().snapshot("latest").destination(Path.of(args[2]))
              .build());
          System.out.println("restore " + rr);
        }
      }
      default -> throw new IllegalArgumentException("unknown step " + args[0]);
    }
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.printf("step %s: wall %.2f s, process cpu %.2f s%n", args[0], (System.nanoTime() - t0) / 1e9,
        os.getProcessCpuTime() / 1e9);
  }

  static void generate(Path dir, long total) throws IOException {
    Random r = new Random(42);
    Path text = Files.createDirectories(dir.resolve("text"));
    Path rnd = Files.createDirectories(dir.resolve("random"));
    Path dup = Files.createDirectories(dir.resolve("dup"));
    Path small = Files.createDirectories(dir.resolve("small"));
    // half text-like: one large log file (~1/4 of the total), the rest in 8 MiB files
    long textBytes = total / 2;
    writeText(text.resolve("big.log"), textBytes / 2, r);
    for (int i = 0; i < textBytes / 2 / (8 << 20); i++) {
      writeText(text.resolve("t" + i + ".log"), 8 << 20, r);
    }
    // a third random: one large file, the rest 4 MiB files
    long randomBytes = total / 3;
    writeRandom(rnd.resolve("big.bin"), randomBytes / 2, r);
    for (int i = 0; i < randomBytes / 2 / (4 << 20); i++) {
      writeRandom(rnd.resolve("r" + i + ".bin"), 4 << 20, r);
    }
    // a fifth duplicates of other files (partly overlaps the rest of the mix, as in the issue)
    long dupBytes = total / 5;
    long done = 0;
    try (Stream<Path> s = Stream.concat(Files.list(text), Files.list(rnd))) {
      for (Path p : s.sorted().filter(p -> !p.getFileName().toString().startsWith("big")).toList()) {
        if (done >= dupBytes) {
          break;
        }
        Files.copy(p, dup.resolve("copy-" + p.getFileName()));
        done += Files.size(p);
      }
    }
    // thousands of small files (configuration-like)
    for (int i = 0; i < 5000; i++) {
      Path d = Files.createDirectories(small.resolve("d" + (i % 100)));
      StringBuilder sb = new StringBuilder();
      for (int k = 0, n = r.nextInt(40) + 1; k < n; k++) {
        sb.append("key").append(k).append(": value ").append(r.nextInt(100_000)).append('\n');
      }
      Files.writeString(d.resolve("f" + i + ".yaml"), sb);
    }
  }

  private static void writeText(Path file, long bytes, Random r) throws IOException {
    String[] words = ("the quick brown fox jumps over lazy dog backup chunk pack index snapshot tree host "
        + "INSERT INTO metrics cpu value ERROR request user_id status OK timeout latency_ms").split(" ");
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      StringBuilder sb = new StringBuilder();
      for (long n = 0; n < bytes; ) {
        sb.setLength(0);
        sb.append("2026-11-28T03:").append(r.nextInt(60)).append(' ').append(r.nextInt(1_000_000)).append(' ');
        for (int w = 0, k = 4 + r.nextInt(10); w < k; w++) {
          sb.append(words[r.nextInt(words.length)]).append(' ');
        }
        sb.append('\n');
        byte[] line = sb.toString().getBytes(StandardCharsets.UTF_8);
        out.write(line);
        n += line.length;
      }
    }
  }

  private static void writeRandom(Path file, long bytes, Random r) throws IOException {
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long n = 0; n < bytes; n += block.length) {
        r.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, bytes - n));
      }
    }
  }

  /** Changes about 1 % of the corpus: overwrites 16 spread 256 KiB ranges in the big files, rewrites 50 small files. */
  static void change(Path dir) throws IOException {
    Random r = new Random(7);
    byte[] patch = new byte[256 * 1024];
    for (String big : List.of("text/big.log", "random/big.bin")) {
      try (RandomAccessFile f = new RandomAccessFile(dir.resolve(big).toFile(), "rw")) {
        for (int i = 0; i < 8; i++) {
          r.nextBytes(patch);
          f.seek((long) (f.length() * (i + 0.5) / 8));
          f.write(patch);
        }
      }
    }
    for (int i = 0; i < 5000; i += 100) {
      Files.writeString(dir.resolve("small/d" + (i % 100) + "/f" + i + ".yaml"), "changed: " + r.nextInt() + "\n");
    }
  }
}
