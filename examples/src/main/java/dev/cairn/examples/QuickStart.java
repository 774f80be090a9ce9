package dev.cairn.examples;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import dev.cairn.backup.VerifyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The README's first command: writes a sample Ansible-like tree under {@code target/quickstart/}, backs
 * it up into an encrypted local repository there, lists the snapshots, restores the newest into a
 * fresh directory, compares it with the original and prints the repository's full read check.
 *
 * <pre>
 * ./mvnw -B -q -pl examples -am package -DskipTests &amp;&amp; java -jar examples/target/examples.jar
 * </pre>
 *
 * <p>Optional argument: the working directory (default {@code target/quickstart}). Exit status 0 when
 * the restore is identical and the repository verifies, 1 otherwise.
 */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the example. */
  public static void main(String[] args) throws IOException {
    Path work = Path.of(args.length > 0 ? args[0] : "target/quickstart").toAbsolutePath();
    deleteTree(work);
    Path sample = work.resolve("sample");
    Path repo = work.resolve("repository");
    Path restored = work.resolve("restored");
    writeSample(sample);

    BackupPlan plan = BackupPlan.builder()
        .name("quickstart")
        .source(FileSource.of(sample))
        .target(Target.of("local", Storages.local(repo)))
        .encryption(Encryption.passphrase(() -> Secret.of("correct horse battery staple")))
        .createRepository(true)
        .build();

    BackupReport first = plan.backup();
    System.out.printf("backup 1: snapshot %s, %d files, %s read, %s new, %s stored, %d ms%n",
        first.snapshotId().shortHex(), first.files(), size(first.bytesRead()), size(first.bytesNew()),
        size(first.bytesStored()), first.duration().toMillis());
    Files.writeString(sample.resolve("group_vars/all.yaml"), "ntp_server: time.example.org\nchanged: true\n");
    BackupReport second = plan.backup();
    System.out.printf("backup 2: snapshot %s, %d files, %s read, %s new, %s stored, %d ms%n",
        second.snapshotId().shortHex(), second.files(), size(second.bytesRead()), size(second.bytesNew()),
        size(second.bytesStored()), second.duration().toMillis());

    System.out.println("snapshots in " + repo + ":");
    for (Snapshot s : plan.snapshots()) {
      System.out.printf("  %s  %s  host=%s  %s%n", s.id().shortHex(), s.time(), s.host(), size(s.bytes()));
    }

    RestoreReport restore = plan.restore(RestoreRequest.builder().snapshot("latest").destination(restored).build());
    boolean identical = sameContent(sample, restored);
    System.out.printf("restored %d entries (%s) into %s: %s%n", restore.entries(), size(restore.bytes()), restored,
        identical ? "identical to the original" : "DIFFERENT from the original");

    VerifyReport verify = plan.verify(true);
    System.out.printf("verify --read-data: %s (%d snapshots, %d packs, %d blobs, %s read)%n",
        verify.ok() ? "OK" : "DAMAGED", verify.snapshots(), verify.packs(), verify.blobs(), size(verify.bytesRead()));
    verify.problems().forEach(p -> System.out.println("  " + p));
    System.exit(identical && verify.ok() ? 0 : 1);
  }

  private static void writeSample(Path root) throws IOException {
    Files.createDirectories(root.resolve("group_vars"));
    Files.writeString(root.resolve("group_vars/all.yaml"), "ntp_server: time.example.org\n");
    Files.writeString(root.resolve("infra.yaml"), "- hosts: all\n  roles: [common, web, db]\n");
    for (String role : new String[] {"common", "web", "db"}) {
      Path tasks = Files.createDirectories(root.resolve("roles/" + role + "/tasks"));
      Files.writeString(tasks.resolve("main.yaml"), "- name: configure " + role + "\n  debug: msg=" + role + "\n");
    }
    Files.createDirectories(root.resolve("files/empty"));
    Files.createSymbolicLink(root.resolve("site.yaml"), Path.of("infra.yaml"));
    Random random = new Random(1);
    byte[] blob = new byte[8 << 20];
    random.nextBytes(blob);
    Files.write(root.resolve("files/artifact.bin"), blob);
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      log.append("2026-11-28T03:00:").append(i % 60).append(" host").append(i % 7).append(" ok task=").append(i).append('\n');
    }
    Files.writeString(root.resolve("files/deploy.log"), log);
  }

  private static boolean sameContent(Path a, Path b) throws IOException {
    try (Stream<Path> walk = Files.walk(a)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path other = b.resolve(a.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          if (!Files.isSymbolicLink(other) || !Files.readSymbolicLink(p).equals(Files.readSymbolicLink(other))) {
            return false;
          }
        } else if (Files.isRegularFile(p)) {
          if (!Files.isRegularFile(other) || Files.mismatch(p, other) != -1
              || !Files.getLastModifiedTime(p).equals(Files.getLastModifiedTime(other))) {
            return false;
          }
        } else if (!Files.isDirectory(other)) {
          return false;
        }
      }
    }
    return true;
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format("%.1f KiB", bytes / 1024.0);
    }
    return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
