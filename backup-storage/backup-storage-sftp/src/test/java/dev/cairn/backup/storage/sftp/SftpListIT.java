package dev.cairn.backup.storage.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.spi.StorageObject;
import dev.cairn.backup.testing.FaultyProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SftpStorage#list} over a repository's two levels of directories, which it lists several at
 * a time, against a real SFTP server.
 */
class SftpListIT {
  @TempDir Path dir;

  /** Objects data/XX/packN in 40 directories, an index, a snapshot and a left-over temporary file. */
  private static List<StorageObject> fill(SftpTestServer server, String root) throws Exception {
    List<StorageObject> all = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      for (int n = 0; n <= d % 3; n++) {
        String name = String.format("data/%02x/pack%d", d * 5, n);
        server.write(root, name, new byte[d + n]);
        all.add(new StorageObject(name, d + n));
      }
    }
    server.write(root, "index/i1", new byte[7]);
    all.add(new StorageObject("index/i1", 7));
    server.write(root, "snapshots/s1", new byte[3]);
    all.add(new StorageObject("snapshots/s1", 3));
    server.write(root, "data/00/.pack9.1234.cairn-tmp", new byte[1]);
    return all;
  }

  @Test
  void listsEveryDirectoryOfARepository() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(root).build()) {
      List<StorageObject> all = fill(server, root);
      assertThat(s.list("")).containsExactlyInAnyOrderElementsOf(all);
      assertThat(s.list("data/")).containsExactlyInAnyOrderElementsOf(
          all.stream().filter(o -> o.name().startsWith("data/")).toList());
      assertThat(s.list("data/1")).containsExactlyInAnyOrderElementsOf(
          all.stream().filter(o -> o.name().startsWith("data/1")).toList());
      assertThat(s.list("data/0a/pack")).containsExactlyInAnyOrder(new StorageObject("data/0a/pack0", 2),
          new StorageObject("data/0a/pack1", 3), new StorageObject("data/0a/pack2", 4));
      assertThat(s.list("locks/")).isEmpty();
    }
  }

  @Test
  void listsDirectoriesSeveralAtATime() throws Exception {
    Duration oneWay = Duration.ofMillis(50);
    try (SftpTestServer server = new SftpTestServer(dir);
         FaultyProxy proxy = server.slowLink(oneWay)) {
      String root = SftpTestServer.newRoot();
      List<StorageObject> all = fill(server, root);
      try (SftpStorage s = server.storage(root, proxy.port()).build()) {
        s.stat("index/i1"); // connected
        long start = System.nanoTime();
        assertThat(s.list("data/")).hasSize(all.size() - 2);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // each directory takes about four round trips (open, read, read to the end, close): 41 one
        // at a time would be over 160; eight at a time about 25
        assertThat(took).isLessThan(oneWay.multipliedBy(2 * 80));
      }
    }
  }
}
