package dev.cairn.backup.storage.sftp;

import static dev.cairn.backup.storage.sftp.SftpTestServer.bytes;
import static dev.cairn.backup.storage.sftp.SftpTestServer.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.sshd.sftp.common.SftpConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link SftpStorage} uploads: one OPEN, then its WRITEs, the fsync and the CLOSE sent together
 * and answered in one round trip, then the rename; and what a failed write or fsync leaves behind.
 */
class SftpWriteIT {
  @TempDir Path dir;

  private static long files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void anUploadIsOneOpenItsWritesAnFsyncACloseAndARename() throws Exception {
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(SftpTestServer.newRoot()).build()) {
      s.put("data/aa/first", ByteBuffer.wrap(new byte[1])); // the directories exist from now on
      int opens = server.requests(SftpConstants.SSH_FXP_OPEN);
      int writes = server.requests(SftpConstants.SSH_FXP_WRITE);
      int extended = server.requests(SftpConstants.SSH_FXP_EXTENDED);
      byte[] data = bytes(100_000, 1);
      s.put("data/aa/pack", ByteBuffer.wrap(data));
      assertThat(server.requests(SftpConstants.SSH_FXP_OPEN) - opens).isEqualTo(1);
      assertThat(server.requests(SftpConstants.SSH_FXP_WRITE) - writes).as("WRITEs of 32 KiB").isEqualTo(4);
      assertThat(server.requests(SftpConstants.SSH_FXP_EXTENDED) - extended).as("fsync and posix-rename")
          .isEqualTo(2);
      assertThat(read(s.get("data/aa/pack"))).isEqualTo(data);
    }
  }

  @Test
  void anUploadWaitsForThreeRoundTripsNotOneForEachStep() throws Exception {
    Duration oneWay = Duration.ofMillis(100);
    try (SftpTestServer server = new SftpTestServer(dir);
         FaultyProxy proxy = server.slowLink(oneWay)) {
      String root = SftpTestServer.newRoot();
      server.write(root, "data/bb/existing", new byte[1]); // the directory exists: no mkdir
      try (SftpStorage s = server.storage(root, proxy.port()).build()) {
        s.stat("data/bb/existing"); // connected
        s.put("data/bb/warm", ByteBuffer.wrap(new byte[1])); // the directory is known
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
          s.put("data/bb/p" + i, ByteBuffer.wrap(bytes(100_000, i)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // OPEN; the WRITEs, fsync and CLOSE answered together; the rename. Waiting for the writes'
        // answers, the fsync and the close one after another would be five.
        assertThat(took).isGreaterThanOrEqualTo(oneWay.multipliedBy(2 * 9)).isLessThan(oneWay.multipliedBy(2 * 12));
      }
    }
  }

  @Test
  void aFailedWriteFailsTheUploadNamingItAndLeavesNoObject() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, Integer.MAX_VALUE, 100_000);
         SftpStorage s = server.storage(root).build()) {
      assertThatThrownBy(() -> s.put("data/cc/pack", ByteBuffer.wrap(bytes(300_000, 2))))
          .isInstanceOf(IOException.class).hasMessageContaining("data/cc/pack").hasMessageContaining("write");
      assertThat(s.stat("data/cc/pack")).isEmpty();
      assertThat(s.list("data/")).isEmpty();
      assertThat(files(server.file(root, "data"))).as("the temporary file was removed").isZero();
      server.write(root, "data/cc/beside", new byte[] {5});
      assertThat(read(s.get("data/cc/beside"))).as("the session goes on").containsExactly(5);
    }
  }

  @Test
  void aRefusedFsyncFailsTheUploadNamingIt() throws Exception {
    // this server's files cannot be flushed (see SftpTestServer); its reads and writes work
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, Integer.MAX_VALUE, Long.MAX_VALUE - 1);
         SftpStorage s = server.storage(root).build()) {
      assertThatThrownBy(() -> s.put("data/dd/pack", ByteBuffer.wrap(bytes(50_000, 3))))
          .isInstanceOf(IOException.class).hasMessageContaining("data/dd/pack").hasMessageContaining("fsync");
      assertThat(s.stat("data/dd/pack")).isEmpty();
      assertThat(files(server.file(root, "data"))).isZero();
    }
  }
}
