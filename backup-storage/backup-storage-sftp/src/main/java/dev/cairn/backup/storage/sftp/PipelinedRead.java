package dev.cairn.backup.storage.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.FullAccessSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.client.impl.SftpStatus;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Reads bytes {@code [offset, end)} of a file opened on an SFTP server, with its READ requests
 * pipelined: up to {@link #WINDOW} requests of {@link #REQUEST} bytes are in flight at once, so a
 * range costs one round trip plus its transfer time, not one round trip per request. Closing sends
 * CLOSE without waiting for the answer; {@link UnclaimedReplies} collects it later.
 *
 * <p>A READ answered with fewer bytes than asked ends the file on every server that follows the
 * protocol ("for normal disk files, it is guaranteed that this will read the specified number of
 * bytes, or up to end of file"). That is checked rather than trusted: when the next request's answer
 * has data, the missing bytes are read on their own before anything after them is returned.
 *
 * <p>Not thread-safe, as streams are not.
 */
final class PipelinedRead extends InputStream {
  /**
   * Bytes per READ. Every server must accept packets of 34,000 bytes, so it can answer 32 KiB in
   * full; OpenSSH's own sftp asks for this much.
   */
  static final int REQUEST = 32 * 1024;
  /**
   * READ requests in flight per stream: 2 MiB, as OpenSSH's sftp sends 64 of 32 KiB; 100 MB/s per
   * stream through a 20 ms round trip. Through that round trip, restoring 1.1 GiB with 8 reads at a
   * time (AES-GCM) took 10.0-10.5 s with 32 and 9.6-9.7 s with 64 or 128.
   */
  static final int WINDOW = 64;
  /** Requests in flight at first when the end is not known: a small object wastes few. */
  private static final int FIRST_WINDOW_TO_END = 4;
  private static final int HEADER = 4 + 1 + 4; // length, type, id: where DefaultSftpClient.send writes them

  private record Request(int id, long offset, int length) {}

  private final FullAccessSftpClient sftp;
  private final SftpClient.Handle handle;
  private final UnclaimedReplies unclaimed;
  private final String what;
  private final long end;
  private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
  private final byte[] one = new byte[1];
  private long next;
  private int window;
  private Buffer peeked; // the answer to inFlight's first request, received early to check a short read
  private byte[] data = new byte[0];
  private int position;
  private int limit;
  private boolean ended;
  private boolean closed;

  /**
   * @param handle an open handle of the file, which this stream owns and closes
   * @param end the offset after the last byte to read, or {@link Long#MAX_VALUE} to read to the end
   * @param what the object and storage, for messages
   */
  PipelinedRead(FullAccessSftpClient sftp, SftpClient.Handle handle, long offset, long end, UnclaimedReplies unclaimed,
      String what) {
    this.sftp = Objects.requireNonNull(sftp);
    this.handle = Objects.requireNonNull(handle);
    this.unclaimed = Objects.requireNonNull(unclaimed);
    this.what = what;
    this.next = offset;
    this.end = end;
    this.window = end == Long.MAX_VALUE ? FIRST_WINDOW_TO_END : WINDOW;
    this.ended = offset >= end;
  }

  @Override
  public int read() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("stream of " + what + " is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (position == limit) {
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - position);
    System.arraycopy(data, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return limit - position;
  }

  /** Makes the next answer's bytes current; false at the end of the range or of the file. */
  private boolean fill() throws IOException {
    if (!ended) {
      send();
    }
    Request request = inFlight.pollFirst();
    if (request == null) {
      return false;
    }
    Buffer answer = peeked != null ? peeked : sftp.receive(request.id());
    peeked = null;
    if (!take(request, answer)) {
      end();
      return false;
    }
    if (limit - position < request.length()) {
      shortAnswer(request);
    }
    if (window < WINDOW) {
      window = Math.min(WINDOW, window * 2);
    }
    return true;
  }

  private void send() throws IOException {
    byte[] id = handle.getIdentifier();
    while (inFlight.size() < window && next < end) {
      int length = (int) Math.min(REQUEST, end - next);
      Buffer request = new ByteArrayBuffer(HEADER + 4 + id.length + 8 + 4, false);
      request.rpos(HEADER);
      request.wpos(HEADER);
      request.putBytes(id);
      request.putLong(next);
      request.putUInt(length);
      inFlight.addLast(new Request(sftp.send(SftpConstants.SSH_FXP_READ, request), next, length));
      next += length;
    }
  }

  /**
   * Makes the data of an answer to a READ current (sets position and limit); false if the answer is
   * end-of-file.
   */
  private boolean take(Request request, Buffer answer) throws IOException {
    SftpResponse response = SftpResponse.parse(SftpConstants.SSH_FXP_READ, answer);
    if (response.getType() == SftpConstants.SSH_FXP_STATUS) {
      SftpStatus status = SftpStatus.parse(response);
      if (status.getStatusCode() == SftpConstants.SSH_FX_EOF) {
        return false;
      }
      throw new SftpException(status.getStatusCode(), "cannot read " + what + " at offset " + request.offset()
          + ": " + status.getMessage());
    }
    if (response.getType() != SftpConstants.SSH_FXP_DATA) {
      throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "cannot read " + what + ": the server answered "
          + "a READ with message type " + response.getType());
    }
    Buffer buffer = response.getBuffer();
    int length = buffer.getInt();
    if (length < 0 || length > request.length() || length > buffer.available()) {
      throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "cannot read " + what + ": the server sent "
          + length + " bytes for a READ of " + request.length());
    }
    data = buffer.array();
    position = buffer.rpos();
    limit = position + length;
    return true;
  }

  /** Whether an answer is end-of-file; leaves it as it was. */
  private static boolean isEndOfFile(Buffer answer) throws IOException {
    int mark = answer.rpos();
    try {
      SftpResponse response = SftpResponse.parse(SftpConstants.SSH_FXP_READ, answer);
      return response.getType() == SftpConstants.SSH_FXP_STATUS
          && SftpStatus.parse(response).getStatusCode() == SftpConstants.SSH_FX_EOF;
    } finally {
      answer.rpos(mark);
    }
  }

  /**
   * Handles an answer with fewer bytes than asked for. If the next answer says end-of-file, so does
   * this one; otherwise the missing bytes are read now and joined to the current ones.
   */
  private void shortAnswer(Request request) throws IOException {
    int n = limit - position;
    Request following = inFlight.peekFirst();
    if (following != null) {
      peeked = sftp.receive(following.id());
      if (isEndOfFile(peeked)) {
        end();
        return;
      }
    }
    byte[] missing = new byte[request.length() - n];
    int got = 0;
    AtomicReference<Boolean> eof = new AtomicReference<>();
    while (got < missing.length) {
      int k = sftp.read(handle, request.offset() + n + got, missing, got, missing.length - got, eof);
      if (k <= 0) {
        break;
      }
      got += k;
    }
    byte[] joined = new byte[n + got];
    System.arraycopy(data, position, joined, 0, n);
    System.arraycopy(missing, 0, joined, n, got);
    data = joined;
    position = 0;
    limit = joined.length;
    if (got < missing.length) {
      end(); // the file ends inside this request after all
    }
  }

  /** No more requests: the range or the file has ended. Answers still on their way are not waited for. */
  private void end() {
    ended = true;
    if (peeked != null) {
      inFlight.pollFirst(); // its answer is here already
      peeked = null;
    }
    for (Request r : inFlight) {
      unclaimed.add(r.id());
    }
    inFlight.clear();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    end();
    data = new byte[0];
    position = 0;
    limit = 0;
    byte[] id = handle.getIdentifier();
    Buffer close = new ByteArrayBuffer(HEADER + 4 + id.length, false);
    close.rpos(HEADER);
    close.wpos(HEADER);
    close.putBytes(id);
    try {
      unclaimed.add(sftp.send(SftpConstants.SSH_FXP_CLOSE, close));
    } catch (IOException e) {
      // the session is gone, and the handle with it
    }
  }
}
