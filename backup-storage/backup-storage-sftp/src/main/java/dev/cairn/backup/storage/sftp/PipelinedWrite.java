package dev.cairn.backup.storage.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.client.FullAccessSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Writes a whole object into a file opened on an SFTP server: its WRITEs of 32 KiB go out one after
 * another without waiting for answers (the channel's flow control paces them), then the fsync (where
 * the server offers {@code fsync@openssh.com}) and the CLOSE right behind them, and all their
 * answers are waited for once. The server handles one handle's requests in order, so that is one
 * round trip after the data instead of three (the last answers, the fsync, the close). Any answer
 * that is not OK fails the upload, so the caller does not rename a file that was not written whole.
 * Answers arriving while the data goes out are checked on the way, so a full disk stops the upload
 * early. Waits are those of {@link PipelinedRead#await}: an interrupt does not take the session down.
 */
final class PipelinedWrite {
  /** Data bytes per WRITE: a packet every server must accept (34,000 bytes). */
  static final int REQUEST = 32 * 1024;
  private static final String FSYNC = "fsync@openssh.com";

  private record Pending(int id, String step) {}

  private PipelinedWrite() {}

  /**
   * Writes {@code content} (position to limit, not consumed) into the file behind {@code handle} and
   * closes the handle, whatever happens.
   *
   * @param fsync whether to ask the server to flush the file to disk before closing it
   * @param what the object and storage, for messages
   * @throws SftpException if the server refuses a write, the fsync or the close
   */
  static void write(FullAccessSftpClient sftp, SftpClient.Handle handle, ByteBuffer content, boolean fsync,
      UnclaimedReplies unclaimed, Duration timeout, String what) throws IOException {
    byte[] id = handle.getIdentifier();
    Deque<Pending> pending = new ArrayDeque<>();
    boolean closeSent = false;
    try {
      ByteBuffer data = content.duplicate();
      long offset = 0;
      while (data.hasRemaining()) {
        int n = Math.min(REQUEST, data.remaining());
        Buffer request = PipelinedRead.request(id, 8 + 4 + n);
        request.putLong(offset);
        request.putUInt(n);
        if (data.hasArray()) {
          request.putRawBytes(data.array(), data.arrayOffset() + data.position(), n);
          data.position(data.position() + n);
        } else {
          byte[] piece = new byte[n];
          data.get(piece);
          request.putRawBytes(piece);
        }
        pending.addLast(new Pending(sftp.write(SftpConstants.SSH_FXP_WRITE, request).getId(), "write"));
        offset += n;
        takeArrived(sftp, pending, what);
      }
      if (fsync) {
        Buffer request = PipelinedRead.request(FSYNC.getBytes(StandardCharsets.UTF_8), 4 + id.length);
        request.putBytes(id);
        pending.addLast(new Pending(sftp.write(SftpConstants.SSH_FXP_EXTENDED, request).getId(), "fsync"));
      }
      pending.addLast(new Pending(sftp.write(SftpConstants.SSH_FXP_CLOSE, PipelinedRead.request(id, 0)).getId(),
          "close"));
      closeSent = true;
      while (!pending.isEmpty()) {
        Pending next = pending.peekFirst();
        Buffer answer = PipelinedRead.await(sftp, next.id(), timeout, "write " + what);
        pending.pollFirst();
        check(answer, next.step(), what);
      }
    } finally {
      for (Pending left : pending) {
        unclaimed.add(left.id());
      }
      if (!closeSent) {
        try {
          unclaimed.add(sftp.write(SftpConstants.SSH_FXP_CLOSE, PipelinedRead.request(id, 0)).getId());
        } catch (IOException | RuntimeException e) {
          // the session is gone, and the handle with it
        }
      }
    }
  }

  /** Checks the answers that have arrived already, oldest first. */
  private static void takeArrived(FullAccessSftpClient sftp, Deque<Pending> pending, String what) throws IOException {
    while (!pending.isEmpty()) {
      Buffer answer = sftp.receive(pending.peekFirst().id(), Duration.ZERO);
      if (answer == null) {
        return;
      }
      check(answer, pending.pollFirst().step(), what);
    }
  }

  private static void check(Buffer answer, String step, String what) throws IOException {
    SftpResponse response = SftpResponse.parse(SftpConstants.SSH_FXP_WRITE, answer);
    if (response.getType() != SftpConstants.SSH_FXP_STATUS) {
      throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "cannot " + step + " " + what
          + ": the server answered with message type " + response.getType());
    }
    SftpStatus status = SftpStatus.parse(response);
    if (!status.isOk()) {
      throw new SftpException(status.getStatusCode(), "cannot " + step + " " + what + ": " + status.getMessage());
    }
  }
}
