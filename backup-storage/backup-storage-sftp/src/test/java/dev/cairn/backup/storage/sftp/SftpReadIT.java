package dev.cairn.backup.storage.sftp;

import static dev.cairn.backup.storage.sftp.SftpTestServer.bytes;
import static dev.cairn.backup.storage.sftp.SftpTestServer.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.testing.FaultyProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.sftp.common.SftpConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link SftpStorage} reads: one OPEN, then its READs and an FSTAT sent together and one CLOSE not
 * waited for (two round trips per read), against a real SFTP server, including ones that answer
 * reads short or fail them.
 */
class SftpReadIT {
  @TempDir Path dir;

  /** Waits until the server has seen as many CLOSEs as OPENs: every handle opened was closed. */
  private static void awaitHandlesClosed(SftpTestServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.requests(SftpConstants.SSH_FXP_CLOSE) < server.requests(SftpConstants.SSH_FXP_OPEN)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.requests(SftpConstants.SSH_FXP_CLOSE)).as("CLOSE requests")
        .isEqualTo(server.requests(SftpConstants.SSH_FXP_OPEN));
  }

  private static void awaitNoUnclaimedReplies(SftpStorage s) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (s.unclaimedReplies() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(s.unclaimedReplies()).as("answers kept by the client that nobody waits for").isZero();
  }

  @Test
  void aRangedReadIsOneOpenThenItsReadsWithOneFstatAndOneClose() throws Exception {
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(SftpTestServer.newRoot()).build()) {
      byte[] data = bytes((1 << 20) + 1_000, 1);
      s.put("data/aa/pack", ByteBuffer.wrap(data));
      int opens = server.requests(SftpConstants.SSH_FXP_OPEN);
      int reads = server.requests(SftpConstants.SSH_FXP_READ);
      int fstats = server.requests(SftpConstants.SSH_FXP_FSTAT);
      int stats = server.requests(SftpConstants.SSH_FXP_STAT);

      assertThat(read(s.get("data/aa/pack", 5_000, 300_000))).isEqualTo(Arrays.copyOfRange(data, 5_000, 305_000));

      assertThat(server.requests(SftpConstants.SSH_FXP_OPEN) - opens).isEqualTo(1);
      assertThat(server.requests(SftpConstants.SSH_FXP_READ) - reads).as("READs of 32 KiB").isEqualTo(10);
      // the FSTAT goes out with the READs and is waited for only if an answer is short
      assertThat(server.requests(SftpConstants.SSH_FXP_FSTAT) - fstats).isEqualTo(1);
      assertThat(server.requests(SftpConstants.SSH_FXP_STAT) - stats).isZero();
      awaitHandlesClosed(server);
    }
  }

  @Test
  void wholeObjectsOfEverySizeAroundARequestEndAtTheEndOfTheFile() throws Exception {
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(SftpTestServer.newRoot()).build()) {
      for (int size : new int[] {0, 1, 32_767, 32_768, 32_769, 4 * 32_768, (3 << 20) + 7}) {
        byte[] data = bytes(size, size);
        s.put("data/bb/" + size, ByteBuffer.wrap(data));
        assertThat(read(s.get("data/bb/" + size))).as("object of %d bytes", size).isEqualTo(data);
        assertThat(read(s.get("data/bb/" + size, 1, -1))).as("object of %d bytes from offset 1", size)
            .isEqualTo(size == 0 ? new byte[0] : Arrays.copyOfRange(data, 1, size));
        assertThat(read(s.get("data/bb/" + size, Math.max(0, size - 10), 100))).as("range past the end")
            .isEqualTo(Arrays.copyOfRange(data, Math.max(0, size - 10), size));
        assertThat(read(s.get("data/bb/" + size, size + 5L, 10))).as("range after the end").isEmpty();
      }
      awaitHandlesClosed(server);
    }
  }

  @Test
  void readsAnsweredShortInTheMiddleOfAFileAreCompleted() throws Exception {
    // the server returns at most 10,000 bytes per READ: each short answer has more data after it
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, 10_000, Long.MAX_VALUE);
         SftpStorage s = server.storage(root).build()) {
      byte[] data = bytes(500_000, 2);
      server.write(root, "data/cc/pack", data); // written beside the server: its channels cannot fsync
      assertThat(read(s.get("data/cc/pack"))).isEqualTo(data);
      assertThat(read(s.get("data/cc/pack", 12_345, 200_000))).isEqualTo(Arrays.copyOfRange(data, 12_345, 212_345));
      assertThat(read(s.get("data/cc/pack", 495_000, 10_000))).isEqualTo(Arrays.copyOfRange(data, 495_000, 500_000));
      try (InputStream in = s.get("data/cc/pack", 7, -1)) {
        // byte by byte across answers and the reads that fill them in
        for (int i = 7; i < 100_000; i++) {
          assertThat(in.read()).as("byte %d", i).isEqualTo(data[i] & 0xFF);
        }
      }
      awaitHandlesClosed(server);
    }
  }

  @Test
  void aShortAnswerIsTheEndOfTheFileOnlyWhereTheFileEnds() throws Exception {
    // 85,536 bytes: the read at 65,536 is answered with 10,000 bytes, the one after it says end of
    // file, and the file still has 10,000 bytes in between
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, 10_000, Long.MAX_VALUE);
         SftpStorage s = server.storage(root).build()) {
      for (int size : new int[] {85_536, 65_536 + 10_000, 65_536 + 9_999, 65_536 + 10_001, 32_768 * 3}) {
        byte[] data = bytes(size, size);
        server.write(root, "data/ff/" + size, data);
        assertThat(read(s.get("data/ff/" + size))).as("%d bytes", size).isEqualTo(data);
        assertThat(read(s.get("data/ff/" + size, 65_536, -1))).as("%d bytes from 65,536", size)
            .isEqualTo(Arrays.copyOfRange(data, 65_536, size));
        assertThat(read(s.get("data/ff/" + size, 65_536, 40_000))).as("%d bytes, 40,000 from 65,536", size)
            .isEqualTo(Arrays.copyOfRange(data, 65_536, Math.min(size, 65_536 + 40_000)));
      }
    }
  }

  @Test
  void theSessionLearnsHowMuchTheServerReadsAtATime() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, 10_000, Long.MAX_VALUE);
         SftpStorage s = server.storage(root).build()) {
      byte[] data = bytes(1_000_000, 5);
      server.write(root, "data/aa/pack", data);
      assertThat(s.readSize()).isEqualTo(PipelinedRead.REQUEST);
      assertThat(read(s.get("data/aa/pack", 0, 500_000))).isEqualTo(Arrays.copyOfRange(data, 0, 500_000));
      assertThat(s.readSize()).isEqualTo(10_000);
      int before = server.requests(SftpConstants.SSH_FXP_READ);
      assertThat(read(s.get("data/aa/pack", 500_000, 500_000))).isEqualTo(Arrays.copyOfRange(data, 500_000, 1_000_000));
      assertThat(server.requests(SftpConstants.SSH_FXP_READ) - before).as("READs of 10,000 bytes, none answered short")
          .isEqualTo(50);
    }
  }

  @Test
  void aServerReadingLessThanFourKibibytesAtATimeIsReadInItsSize() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, 3_000, Long.MAX_VALUE);
         SftpStorage s = server.storage(root).build()) {
      byte[] data = bytes(1_000_000, 9);
      server.write(root, "data/ab/pack", data);
      int before = server.requests(SftpConstants.SSH_FXP_READ);
      assertThat(read(s.get("data/ab/pack"))).isEqualTo(data);
      // each request already sent when the size was learnt needed one more for its rest; none was sent twice
      assertThat(server.requests(SftpConstants.SSH_FXP_READ) - before).isLessThan(334 + 2 * PipelinedRead.WINDOW);
      assertThat(s.readSize()).isEqualTo(3_000);
      assertThat(s.unclaimedReplies()).as("answers nobody waits for").isLessThanOrEqualTo(PipelinedRead.WINDOW);
      awaitNoUnclaimedReplies(s); // the READs past the end have reached the server: they are not counted below
      before = server.requests(SftpConstants.SSH_FXP_READ);
      assertThat(read(s.get("data/ab/pack", 0, 1_000_000))).isEqualTo(data);
      assertThat(server.requests(SftpConstants.SSH_FXP_READ) - before).isEqualTo(334);
    }
  }

  @Test
  void findingTheServersReadSizeCostsAboutOneRoundTripNotOnePerRequest() throws Exception {
    Duration oneWay = Duration.ofMillis(50);
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, 10_000, Long.MAX_VALUE);
         FaultyProxy proxy = server.slowLink(oneWay)) {
      byte[] data = bytes(2_000_000, 11);
      server.write(root, "data/ac/pack", data);
      try (SftpStorage s = server.storage(root, proxy.port()).build()) {
        s.stat("data/ac/pack"); // connected
        long start = System.nanoTime();
        assertThat(read(s.get("data/ac/pack"))).isEqualTo(data);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // OPEN, the first READs, the rest asked again in 10,000-byte requests, then about three windows
        // of 64 of them: under 10 round trips. Completing each short answer on its own took over 60.
        assertThat(took).isLessThan(oneWay.multipliedBy(2 * 20));
        assertThat(s.readSize()).isEqualTo(10_000);
      }
    }
  }

  @Test
  void aFileWhoseSizeTheServerWillNotTellIsReadToItsEnd() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(root).build()) {
      for (int size : new int[] {0, 50_000, 65_536, 100_001}) {
        byte[] data = bytes(size, size);
        server.write(root, "data/cd/nostat-" + size, data);
        assertThat(read(s.get("data/cd/nostat-" + size))).as("%d bytes", size).isEqualTo(data);
        assertThat(read(s.get("data/cd/nostat-" + size, 10, size + 100L))).as("%d bytes, a range past the end", size)
            .isEqualTo(Arrays.copyOfRange(data, Math.min(10, size), size));
      }
      assertThat(s.readSize()).isEqualTo(PipelinedRead.REQUEST);
    }
  }

  @Test
  void aFileReportedLargerThanItIsEndsWhereItsDataEnds() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(root).build()) {
      byte[] data = bytes(50_000, 10);
      server.write(root, "data/de/bigger-1", data);
      assertThat(read(s.get("data/de/bigger-1"))).isEqualTo(data);
      assertThat(s.readSize()).as("one short answer is not the server's size").isEqualTo(PipelinedRead.REQUEST);
    }
  }

  @Test
  void aReadThatFailsFailsAgainInsteadOfSkippingData() throws Exception {
    String root = SftpTestServer.newRoot();
    try (SftpTestServer server = new SftpTestServer(dir, true, Integer.MAX_VALUE, 131_072);
         SftpStorage s = server.storage(root).build()) {
      byte[] data = bytes(1 << 20, 6);
      server.write(root, "data/bb/pack", data);
      try (InputStream in = s.get("data/bb/pack")) {
        assertThat(in.readNBytes(131_072)).isEqualTo(Arrays.copyOfRange(data, 0, 131_072));
        assertThatThrownBy(() -> in.read(new byte[100])).isInstanceOf(IOException.class)
            .hasMessageContaining("data/bb/pack").hasMessageContaining("131072");
        assertThatThrownBy(() -> in.read(new byte[100])).as("and again, rather than data from later in the file")
            .isInstanceOf(IOException.class).hasMessageContaining("failed before");
      }
      assertThat(read(s.get("data/bb/pack", 1_000, 50_000))).as("the session goes on")
          .isEqualTo(Arrays.copyOfRange(data, 1_000, 51_000));
    }
  }

  @Test
  void anInterruptedReadStopsWithoutTakingTheSessionDown() throws Exception {
    try (SftpTestServer server = new SftpTestServer(dir);
         FaultyProxy proxy = server.slowLink(Duration.ofMillis(100))) {
      String root = SftpTestServer.newRoot();
      byte[] data = bytes(4 << 20, 7);
      server.write(root, "data/cc/pack", data);
      try (SftpStorage s = server.storage(root, proxy.port()).build()) {
        s.stat("data/cc/pack"); // connected
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = new Thread(() -> {
          try (InputStream in = s.get("data/cc/pack")) {
            in.readAllBytes();
          } catch (Throwable t) {
            thrown.set(t);
          }
        });
        reader.start();
        Thread.sleep(300); // after the OPEN (200 ms): waiting for the first READs' answers
        reader.interrupt();
        reader.join(10_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        // MINA forgets a request whose blocking wait is interrupted, and closes the session when its
        // answer comes: the same session still serves reads, and the answers are collected
        Thread.sleep(500);
        assertThat(read(s.get("data/cc/pack", 100, 1_000))).isEqualTo(Arrays.copyOfRange(data, 100, 1_100));
        assertThat(proxy.connections()).as("no new connection").isEqualTo(1);
        awaitNoUnclaimedReplies(s);
      }
    }
  }

  @Test
  void streamsClosedEarlyLeaveNoHandlesOpenAndNoAnswersBehind() throws Exception {
    try (SftpTestServer server = new SftpTestServer(dir);
         SftpStorage s = server.storage(SftpTestServer.newRoot()).build()) {
      byte[] data = bytes(4 << 20, 3);
      s.put("data/dd/pack", ByteBuffer.wrap(data));
      for (int i = 0; i < 50; i++) {
        try (InputStream in = s.get("data/dd/pack", i * 1_000L, -1)) {
          assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOfRange(data, i * 1_000, i * 1_000 + 100));
        } // closed with READs still on their way
      }
      assertThat(read(s.get("data/dd/pack", 1 << 20, 70_000)))
          .isEqualTo(Arrays.copyOfRange(data, 1 << 20, (1 << 20) + 70_000));
      awaitHandlesClosed(server);
      awaitNoUnclaimedReplies(s);
    }
  }

  @Test
  void aRangedReadWaitsForTwoRoundTripsNotOnePerStep() throws Exception {
    Duration oneWay = Duration.ofMillis(100);
    try (SftpTestServer server = new SftpTestServer(dir);
         FaultyProxy proxy = server.slowLink(oneWay)) {
      String root = SftpTestServer.newRoot();
      byte[] data = bytes(1 << 20, 4);
      server.write(root, "data/ee/pack", data);
      try (SftpStorage s = server.storage(root, proxy.port()).build()) {
        s.stat("data/ee/pack"); // connected
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
          assertThat(read(s.get("data/ee/pack", i * 200_000L, 100_000)))
              .isEqualTo(Arrays.copyOfRange(data, i * 200_000, i * 200_000 + 100_000));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Duration roundTrip = oneWay.multipliedBy(2);
        // OPEN, then the READs together: two round trips each. Waiting for an fstat, for the CLOSE or
        // for each READ would make it at least three.
        assertThat(took).isGreaterThanOrEqualTo(roundTrip.multipliedBy(6))
            .isLessThan(roundTrip.multipliedBy(9));
      }
    }
  }
}
