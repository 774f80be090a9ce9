package dev.cairn.backup.testing.prune;

import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Storages;
import dev.cairn.backup.StreamSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A backup in its own JVM that takes a while: {@code SlowBackupMain REPO SEED BYTES} backs up
 * {@link PruneTest#content} of BYTES bytes as {@code slow.bin}, handing out 64 KiB every 20 ms, and
 * prints {@code SNAPSHOT <id>}.
 */
public final class SlowBackupMain {
  private SlowBackupMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    byte[] data = PruneTest.content(Long.parseLong(args[1]), Integer.parseInt(args[2]));
    try (Repository repo = PruneTest.builder(Storages.local(dir)).open()) {
      BackupReport r = repo.backup(List.of(StreamSource.of("slow", "slow.bin", () -> slow(data))));
      System.out.println("SNAPSHOT " + r.snapshotId().hex());
    }
  }

  private static InputStream slow(byte[] data) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.read(b, off, Math.min(len, 64 * 1024));
      }

      @Override
      public synchronized int read() {
        return super.read();
      }

      @Override
      public byte[] readAllBytes() {
        throw new UnsupportedOperationException("read in slices");
      }

      @Override
      public void close() throws IOException {
        super.close();
      }
    };
  }
}
