package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Storages;
import dev.cairn.backup.VerifyReport;
import dev.cairn.backup.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups in a separate JVM: killed with SIGKILL mid-run, and with a heap smaller than the data. */
class SeparateProcessTest {
  @TempDir Path tmp;

  private static ProcessBuilder java(String heap, String... args) {
    return java(BackupMain.class, List.of(heap), args);
  }

  private static ProcessBuilder java(Class<?> main, List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true);
  }

  /** Runs a child JVM to its end (at most 5 minutes), requires exit status 0 and returns what it printed. */
  private static String runToEnd(ProcessBuilder child) throws IOException, InterruptedException {
    Process p = child.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the child ends: " + out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static long packCount(Path repo) throws IOException {
    Path data = repo.resolve("data");
    if (!Files.isDirectory(data)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(data)) {
      return s.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")).count();
    }
  }

  @Test
  void backupKilledMidRunLeavesAConsistentRepositoryAndTheNextBackupReusesItsData() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Random r = new Random(9);
    byte[] b = new byte[8 << 20];
    for (int i = 0; i < 40; i++) {
      r.nextBytes(b);
      Files.write(src.resolve(String.format("part-%02d.bin", i)), b);
    }
    long total = 40L * b.length;
    Path repoDir = tmp.resolve("repo");
    try (Repository repo = TestRepos.init(Storages.local(repoDir))) {
      assertThat(repo.snapshots()).isEmpty();
    }
    Process p = java("-Xmx256m", repoDir.toString(), "tree", src.toString(), String.valueOf(4 << 20),
        String.valueOf(16 << 20), String.valueOf(16 << 20))
        .redirectOutput(tmp.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (packCount(repoDir) < 20 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(p.isAlive()).as("the child must still be running when killed: "
        + Files.readString(tmp.resolve("child.log"))).isTrue();
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long packsAtKill = packCount(repoDir);

    Storage storage = Storages.local(repoDir);
    try (Repository repo = TestRepos.open(storage)) {
      assertThat(repo.snapshots()).as("no snapshot: the commit point was never written").isEmpty();
      VerifyReport structural = repo.verify(false);
      assertThat(structural.problems()).isEmpty();

      BackupReport next = repo.backup(List.of(FileSource.of(src)));
      assertThat(next.files()).isEqualTo(40);
      assertThat(next.bytesNew()).as("data uploaded before the kill (" + packsAtKill + " packs) is reused")
          .isLessThan(total - (32L << 20));
      assertThat(repo.verify(false).problems()).isEmpty();
      Path dest = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(dest).build());
      for (int i = 0; i < 40; i += 7) {
        String name = String.format("part-%02d.bin", i);
        assertThat(Files.mismatch(src.resolve(name), dest.resolve(name))).isEqualTo(-1);
      }
    }
  }

  @Test
  void backsUpAStreamLargerThanTheHeapOfItsJvm() throws Exception {
    Path repoDir = tmp.resolve("repo");
    long size = 1L << 30;
    String out = runToEnd(java("-Xmx128m", repoDir.toString(), "stream", String.valueOf(size), String.valueOf(4 << 20),
        String.valueOf(8 << 20)));
    assertThat(out).contains("SNAPSHOT ").contains(" " + size);
    long maxHeap = Long.parseLong(out.replaceAll("(?s).*MAXHEAP (\\d+).*", "$1"));
    assertThat(maxHeap).isLessThan(size / 4);
    try (Repository repo = TestRepos.open(Storages.local(repoDir))) {
      assertThat(repo.snapshots()).hasSize(1);
      assertThat(repo.snapshots().get(0).bytes()).isEqualTo(size);
      // the stream's SHA-256 was recorded and the stored data matches it
      assertThat(repo.snapshots().get(0).sources().get(0).verifications()).hasSize(1);
    }
  }

  /**
   * A plan backs up into its primary and then, in the same process, copies to a second target, as
   * {@code cairn plan run} does in the CLI's 192 MiB heap. The primary's pack and blob buffers, pooled for
   * the backup, used to stay referenced by the open repository while the copy filled the destination's
   * own pools (and its creation derived a 64 MiB Argon2 key): the run ended in an OutOfMemoryError with
   * 64 MiB of data.
   */
  @Test
  void aPlanCopiesItsNewSnapshotWithinTheCliHeap() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Random r = new Random(11);
    byte[] b = new byte[8 << 20];
    for (int i = 0; i < 8; i++) {
      r.nextBytes(b);
      Files.write(src.resolve("part-" + i + ".bin"), b);
    }
    // bin/cairn's heap and collector
    String out = runToEnd(java(PlanCopyMain.class, List.of("-XX:+UseSerialGC", "-Xmx192m"), src.toString(), tmp.resolve("local").toString(),
        tmp.resolve("drive").toString()));
    assertThat(out).contains("COPY drive 1 ok");
  }

  /**
   * Memory grows with the directories being walked, not with every file: a backup used to keep every
   * entry of the source until its end (and an incremental one the whole parent snapshot besides), about
   * 700 bytes per file, so a few hundred thousand files ran out of the CLI's heap. Here 120,000 files
   * back up twice in a 64 MiB heap, the second time reading only the file that changed, and verify in less.
   */
  @Test
  void backsUpAndVerifiesManyFilesInASmallHeap() throws Exception {
    Path src = tmp.resolve("src");
    int dirs = 120;
    int perDir = 1000;
    for (int d = 0; d < dirs; d++) {
      Path dir = Files.createDirectories(src.resolve("d" + (d / 10)).resolve("e" + d));
      for (int f = 0; f < perDir; f++) {
        Files.writeString(dir.resolve("f" + f + ".txt"), "file " + d + "/" + f);
      }
    }
    Path repoDir = tmp.resolve("repo");
    List<String> options = List.of("-XX:+UseSerialGC", "-Xmx64m");
    String[] args = {repoDir.toString(), "tree", src.toString(), String.valueOf(1 << 20), String.valueOf(4 << 20)};
    String out = runToEnd(java(BackupMain.class, options, args));

    Files.writeString(src.resolve("d3/e37/f5.txt"), "changed");
    out = runToEnd(java(BackupMain.class, options, args));
    assertThat(out).as("only the changed file is read").containsPattern("SNAPSHOT \\S+ 7\\b");

    // verify keeps a bit per chunk and the ids of the trees it walked, not the trees: it needed 64 MiB here
    out = runToEnd(java(BackupMain.class, List.of("-XX:+UseSerialGC", "-Xmx44m"), repoDir.toString(), "verify",
        "false"));
    assertThat(out).contains("VERIFY []");

    // one directory restores reading only the trees down to it and below it, not the whole snapshot's (that
    // ran out of memory at 64 MiB here)
    Path one = tmp.resolve("one");
    out = runToEnd(java(BackupMain.class, List.of("-XX:+UseSerialGC", "-Xmx48m"), repoDir.toString(), "restore",
        one.toString(), "d3/e37"));
    assertThat(Files.readString(one.resolve("d3/e37/f5.txt"))).isEqualTo("changed");
    try (Stream<Path> files = Files.list(one.resolve("d3/e37"))) {
      assertThat(files.count()).isEqualTo(perDir);
    }

    try (Repository repo = TestRepos.open(Storages.local(repoDir))) {
      var snapshots = repo.snapshots();
      assertThat(snapshots).hasSize(2);
      var latest = snapshots.get(1);
      var entries = repo.entries(latest, latest.sources().get(0).name(), "");
      assertThat(entries).hasSize(dirs * perDir + dirs + dirs / 10);
      assertThat(repo.verify(false).problems()).isEmpty();
      Path dest = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().destination(dest).path("d3/e37").build());
      assertThat(Files.readString(dest.resolve("d3/e37/f5.txt"))).isEqualTo("changed");
      assertThat(Files.readString(dest.resolve("d3/e37/f999.txt"))).isEqualTo("file 37/999");
    }
  }
}
