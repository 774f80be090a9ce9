package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cairn}, the launcher users run, against the jar this build packaged: a session through
 * it, its class-data sharing archive (recorded by the first run, used by later ones, skipped on
 * request) and a clean stderr.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();
  @TempDir Path tmp;

  @Test
  void aSessionThroughTheLauncherRecordsAndThenUsesItsClassDataArchive() throws Exception {
    assertThat(LAUNCHER).isExecutable();
    Path cache = tmp.resolve("cache");
    Path repo = tmp.resolve("repo");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("hosts"), "127.0.0.1 localhost\n");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "CAIRN_PASSWORD", "launcher test");

    Run help = run(env, "--help");
    assertThat(help.code).isZero();
    assertThat(help.out).contains("Usage: cairn", "backup", "restore", "verify");
    assertThat(archives(cache)).as("the first run records an archive").hasSize(1);
    Path archive = archives(cache).get(0);
    var recorded = Files.getLastModifiedTime(archive);

    assertThat(run(env, "-q", "-r", repo.toString(), "init").code).isZero();
    Run backup = run(env, "-q", "-r", repo.toString(), "backup", data.toString());
    assertThat(backup.code).isZero();
    assertThat(backup.err).as("no JVM warnings with the archive in use").isEmpty();
    Run restore = run(env, "-q", "-r", repo.toString(), "restore", "latest", "--target", tmp.resolve("back").toString());
    assertThat(restore.code).isZero();
    try (Stream<Path> files = Files.walk(tmp.resolve("back"))) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("hosts")).findFirst()).get()
          .satisfies(p -> assertThat(Files.readString(p)).isEqualTo("127.0.0.1 localhost\n"));
    }
    assertThat(archives(cache)).as("later runs reuse the archive").containsExactly(archive);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(recorded);

    Path otherCache = tmp.resolve("other-cache");
    Run noCds = run(Map.of("XDG_CACHE_HOME", otherCache.toString(), "CAIRN_NO_CDS", "1",
        "CAIRN_PASSWORD", "launcher test"), "-q", "-r", repo.toString(), "snapshots");
    assertThat(noCds.code).isZero();
    assertThat(noCds.out).contains("1 snapshot\n");
    assertThat(Files.exists(otherCache.resolve("cairn"))).as("CAIRN_NO_CDS=1 writes no archive").isFalse();

    Run wrong = run(Map.of("XDG_CACHE_HOME", cache.toString(), "CAIRN_PASSWORD", "not it"),
        "-r", repo.toString(), "snapshots");
    assertThat(wrong.code).isEqualTo(ExitCodes.WRONG_PASSPHRASE);
    assertThat(wrong.err).contains("passphrase").doesNotContain("Exception");
  }

  /**
   * The first run records the class-data archive (about 10 MiB) into the cache directory as it exits. A
   * JVM that cannot write it prints "Unable to write to shared archive file" and exits with status 1,
   * whatever the command's own: with ~/.cache on a full disk (often the disk the repository just filled)
   * every command, a backup that saved its snapshot or a prune that freed the disk, reported failure. A
   * full disk needs root to build, so a file size limit stops the write here, as a full disk does.
   */
  @Test
  void aCacheWithoutRoomForTheArchiveDoesNotFailTheCommand() throws Exception {
    Path cache = tmp.resolve("cache");
    Path repo = tmp.resolve("repo");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("hosts"), "127.0.0.1 localhost\n");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(), "CAIRN_PASSWORD", "launcher test");
    // 2048 blocks: 1 or 2 MiB depending on the shell; the repository's objects here are far smaller
    List<String> limited = List.of("sh", "-c", "ulimit -f 2048 && exec \"$0\" \"$@\"", LAUNCHER.toString());

    Run init = run(env, limited, "-q", "-r", repo.toString(), "init");
    assertThat(init.code).as(init.err).isZero();
    Run backup = run(env, limited, "-q", "-r", repo.toString(), "backup", data.toString());
    assertThat(backup.code).as(backup.err).isZero();
    assertThat(backup.err).as("no JVM complaint about the archive").doesNotContain("shared archive");
    assertThat(archives(cache)).as("no archive without room for it").isEmpty();
    // once there is room, the archive is recorded as usual
    assertThat(run(env, "--version").code).isZero();
    assertThat(archives(cache)).hasSize(1);
  }

  /**
   * The launcher's default heap (192 MiB) on a server with many cores (16 here, as the JVM is told): the
   * repository took one packing worker per core, each filling a pack buffer of its own, so a backup of 48
   * MiB ended in "out of memory", and so did a plan run copying it to a second target.
   */
  @Test
  void backupAndPlanRunFitTheDefaultHeapOnAManyCoreMachine() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    java.util.Random r = new java.util.Random(5);
    byte[] b = new byte[6 << 20];
    for (int i = 0; i < 8; i++) {
      r.nextBytes(b);
      Files.write(data.resolve("part-" + i + ".bin"), b);
    }
    // bin/cairn's default options (CAIRN_JAVA_OPTS replaces them), on 16 cores
    Map<String, String> env = Map.of("CAIRN_PASSWORD", "launcher test", "CAIRN_JAVA_OPTS",
        "-XX:+UseSerialGC -Xmx192m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ActiveProcessorCount=16");
    Path repo = tmp.resolve("repo");
    assertThat(run(env, "-q", "-r", repo.toString(), "init").code).isZero();
    Run backup = run(env, "-q", "-r", repo.toString(), "backup", data.toString());
    assertThat(backup.code).as(backup.err).isZero();

    Path plan = tmp.resolve("plan.yaml");
    Files.writeString(plan, String.join("\n",
        "name: many-cores",
        "sources: [{name: data, type: files, root: " + data + "}]",
        "encryption: {passphrase: {env: CAIRN_PASSWORD}}",
        "targets:",
        "  - {name: local, primary: true, storage: " + tmp.resolve("local") + "}",
        "  - {name: drive, storage: " + tmp.resolve("drive") + "}",
        ""));
    Run planRun = run(env, "-q", "plan", "run", "--init", plan.toString());
    assertThat(planRun.code).as(planRun.out + planRun.err).isZero();
    assertThat(run(env, "-q", "-r", tmp.resolve("drive").toString(), "snapshots").out).contains("1 snapshot");
  }

  private static List<Path> archives(Path cache) throws IOException {
    Path dir = cache.resolve("cairn");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    return run(env, List.of(LAUNCHER.toString()), args);
  }

  /** Runs {@code launcher} (the launcher, or a command that runs it) with {@code args}. */
  private Run run(Map<String, String> env, List<String> launcher, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Stream.concat(launcher.stream(), Stream.of(args)).toList());
    pb.environment().remove("CAIRN_REPOSITORY");
    pb.environment().remove("CAIRN_PASSWORD_FILE");
    pb.environment().remove("CAIRN_JAVA_OPTS");
    pb.environment().remove("CAIRN_NO_CDS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
        Path.of("/dev/null").toFile()));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("bin/cairn %s finished", String.join(" ", args)).isTrue();
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Run(int code, String out, String err) {}
}
