package dev.cairn.backup.testing.engine;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.spi.Source;
import java.nio.file.Path;
import java.util.List;

/**
 * A backup in a process of its own, for tests that kill it or limit its heap:
 * {@code BackupMain REPO tree DIR [PACKSIZE [INFLIGHT [CHECKPOINT]]]} or
 * {@code BackupMain REPO stream BYTES [...]}. Creates the repository if
 * missing; prints {@code SNAPSHOT <id> <bytesRead>} when done. {@code BackupMain REPO verify READDATA}
 * verifies and prints {@code VERIFY [problems]}; {@code BackupMain REPO restore DEST PATH} restores
 * {@code PATH} of the latest snapshot into {@code DEST}.
 */
public final class BackupMain {
  private BackupMain() {}

  public static void main(String[] args) {
    Path repoDir = Path.of(args[0]);
    if (args[1].equals("restore")) {
      try (Repository repo = TestRepos.open(Storages.local(repoDir))) {
        var results = repo.restore(dev.cairn.backup.RestoreRequest.builder().destination(Path.of(args[2]))
            .path(args[3]).build());
        System.out.println("RESTORED " + results);
      }
      System.exit(0);
    }
    if (args[1].equals("verify")) {
      try (Repository repo = TestRepos.open(Storages.local(repoDir))) {
        System.out.println("VERIFY " + repo.verify(Boolean.parseBoolean(args[2])).problems());
      }
      System.exit(0);
    }
    Source source = switch (args[1]) {
      case "tree" -> FileSource.of(Path.of(args[2]));
      case "stream" -> StreamSource.of("stream", "generated.bin", () -> new GeneratedStream(Long.parseLong(args[2]), 3));
      default -> throw new IllegalArgumentException(args[1]);
    };
    Repository.Builder b = TestRepos.builder(Storages.local(repoDir));
    if (args.length > 3) {
      b.packSize(Integer.parseInt(args[3]));
    }
    if (args.length > 4) {
      b.maxInFlightBytes(Long.parseLong(args[4]));
    }
    long checkpoint = args.length > 5 ? Long.parseLong(args[5]) : dev.cairn.backup.BackupOptions.DEFAULT_CHECKPOINT_BYTES;
    try (Repository repo = b.openOrInit()) {
      BackupReport r = repo.backup(List.of(source),
          dev.cairn.backup.BackupOptions.builder().checkpointBytes(checkpoint).build());
      System.out.println("SNAPSHOT " + r.snapshotId() + " " + r.bytesRead());
      System.out.println("MAXHEAP " + Runtime.getRuntime().maxMemory());
    }
    System.exit(0);
  }
}
