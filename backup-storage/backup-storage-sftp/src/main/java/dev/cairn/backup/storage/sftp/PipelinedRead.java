package dev.cairn.backup.storage.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
 * pipelined: up to {@link #WINDOW} requests are in flight at once, so a range costs one round trip
 * plus its transfer time, not one round trip per request. An FSTAT goes out with the first READs
 * (no round trip of its own) and is waited for only if an answer is short. Closing sends CLOSE
 * without waiting for the answer; {@link UnclaimedReplies} collects it later.
 *
 * <p>A READ answered with fewer bytes than asked for ends the file if the file's size says so.
 * Otherwise the server reads less at a time than asked (some cap reads; some backing file systems
 * answer short), or the size is unknown: the larger requests already sent are dropped and the stream
 * asks again from the first missing byte, in requests of the length answered (one round trip, once
 * per stream). When a request of that length is then answered whole, the session asks for no more
 * than that from then on ({@code requestSize}), so only the first reads pay for finding the
 * server's size. A short answer of no bytes ends the file if its size is unknown, and is an error if
 * the size says there is more.
 *
 * <p>Waiting for an answer polls without removing it from MINA's client, so an interrupt stops the
 * wait (with an {@link InterruptedIOException}) but leaves the answer to be collected: MINA's own
 * blocking wait forgets the request when interrupted, and the late answer then closes the session
 * that every thread shares. After any failure the stream stays failed. Not thread-safe, as streams
 * are not.
 */
final class PipelinedRead extends InputStream {
  /**
   * Bytes per READ at most. Every server must accept packets of 34,000 bytes, so it can answer 32 KiB
   * in full; OpenSSH's own sftp asks for this much.
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
  private static final int HEADER = 4 + 1 + 4; // length, type, id: where DefaultSftpClient writes them
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private record Request(int id, long offset, int length) {}

  private final FullAccessSftpClient sftp;
  private final SftpClient.Handle handle;
  private final UnclaimedReplies unclaimed;
  private final AtomicInteger requestSize;
  private final String what;
  private final Duration timeout;
  private final Consumer<Throwable> onFailure;
  private final long end;
  private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
  private final byte[] one = new byte[1];
  private long next;
  private int window;
  private boolean fstatSent;
  private boolean fstatTaken;
  private int fstat; // id of the FSTAT sent with the first READs
  private long size = -1; // the file's size once the FSTAT's answer has been needed; MAX_VALUE: unknown
  private int streamSize; // bytes per READ of this stream: the session's, or less after a short answer
  private int unconfirmed = -1; // a short answer's length, until a request of that length is answered whole
  private byte[] data = new byte[0];
  private int position;
  private int limit;
  private boolean ended;
  private boolean closed;
  private IOException failure;

  /**
   * @param handle an open handle of the file, which this stream owns and closes
   * @param end the offset after the last byte to read, or {@link Long#MAX_VALUE} to read to the end
   * @param requestSize bytes per READ for the session, lowered when the server answers less
   * @param timeout how long to wait for an answer
   * @param what the object and storage, for messages
   * @param onFailure told of a failure of the stream, to judge the session by it
   */
  PipelinedRead(FullAccessSftpClient sftp, SftpClient.Handle handle, long offset, long end, UnclaimedReplies unclaimed,
      AtomicInteger requestSize, Duration timeout, String what, Consumer<Throwable> onFailure) {
    this.sftp = Objects.requireNonNull(sftp);
    this.handle = Objects.requireNonNull(handle);
    this.unclaimed = Objects.requireNonNull(unclaimed);
    this.requestSize = Objects.requireNonNull(requestSize);
    this.what = what;
    this.timeout = Objects.requireNonNull(timeout);
    this.onFailure = Objects.requireNonNull(onFailure);
    this.next = offset;
    this.end = end;
    this.window = end == Long.MAX_VALUE ? FIRST_WINDOW_TO_END : WINDOW;
    this.ended = offset >= end;
    this.streamSize = requestSize.get();
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
    if (failure != null) {
      throw new IOException("reading " + what + " failed before: " + failure.getMessage(), failure);
    }
    if (len == 0) {
      return 0;
    }
    try {
      while (position == limit) {
        if (!fill()) {
          return -1;
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
      onFailure.accept(e);
      throw e;
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
    Request request = inFlight.peekFirst();
    if (request == null) {
      return false;
    }
    Buffer answer = await(request.id()); // the request stays in flight until answered: close() hands it over
    inFlight.pollFirst();
    if (!take(request, answer)) {
      end();
      return false;
    }
    int n = limit - position;
    if (n < request.length()) {
      shortAnswer(request, n);
    } else if (n == unconfirmed) {
      requestSize.accumulateAndGet(n, Math::min); // the server's size: later streams ask for no more
      unconfirmed = -1;
    }
    if (window < WINDOW) {
      window = Math.min(WINDOW, window * 2);
    }
    return true;
  }

  private void send() throws IOException {
    byte[] id = handle.getIdentifier();
    if (!fstatSent) {
      Buffer request = request(id, 4);
      if (sftp.getVersion() >= SftpConstants.SFTP_V4) {
        request.putUInt(SftpConstants.SSH_FILEXFER_ATTR_SIZE);
      }
      fstat = sftp.write(SftpConstants.SSH_FXP_FSTAT, request).getId();
      fstatSent = true;
    }
    int most = streamSize;
    while (inFlight.size() < window && next < end) {
      int length = (int) Math.min(most, end - next);
      // write() hands the request over without waiting until it is sent: its id is known at once
      inFlight.addLast(new Request(read(id, next, length), next, length));
      next += length;
    }
  }

  /** Sends a READ, returning its id. */
  private int read(byte[] id, long offset, int length) throws IOException {
    Buffer request = request(id, 8 + 4);
    request.putLong(offset);
    request.putUInt(length);
    return sftp.write(SftpConstants.SSH_FXP_READ, request).getId();
  }

  /** A request buffer for {@code handle} with room for {@code more} bytes after it. */
  static Buffer request(byte[] handle, int more) {
    Buffer request = new ByteArrayBuffer(HEADER + 4 + handle.length + more, false);
    request.rpos(HEADER);
    request.wpos(HEADER);
    request.putBytes(handle);
    return request;
  }

  /** Waits for the answer to request {@code id}; see {@link #await(FullAccessSftpClient, int, Duration, String)}. */
  private Buffer await(int id) throws IOException {
    return await(sftp, id, timeout, "read " + what);
  }

  /**
   * Waits for the answer to request {@code id}, at most {@code timeout}, leaving the request with
   * MINA (to be collected) if interrupted or out of time: MINA's own blocking wait forgets an
   * interrupted request, and the late answer then closes the session.
   */
  static Buffer await(FullAccessSftpClient sftp, int id, Duration timeout, String what) throws IOException {
    long pause = 1_000;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Buffer answer = sftp.receive(id, Duration.ZERO); // takes the answer if it is there; never forgets the request
      if (answer != null) {
        return answer;
      }
      if (!sftp.isOpen() || sftp.isClosing()) {
        throw new IOException("cannot " + what + ": the SFTP channel closed");
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted: " + what);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("cannot " + what + ": no answer from the server in " + timeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(pause);
      pause = Math.min(MAX_POLL_NANOS, pause * 2);
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

  /**
   * Handles an answer of {@code n} bytes to a READ of more: the end of the file if its size says so;
   * otherwise the requests already sent are dropped and sent again from the first missing byte, no
   * larger than {@code n}.
   */
  private void shortAnswer(Request request, int n) throws IOException {
    long reached = request.offset() + n;
    long fileSize = size();
    if (reached >= fileSize) {
      end();
      return;
    }
    if (n == 0) {
      if (fileSize == Long.MAX_VALUE) {
        end(); // no data and no size: where the file ends
        return;
      }
      throw new SftpException(SftpConstants.SSH_FX_FAILURE, "cannot read " + what + ": the server answered no data "
          + "at offset " + request.offset() + " of a file of " + fileSize + " bytes");
    }
    streamSize = Math.min(streamSize, n);
    unconfirmed = streamSize;
    for (Request dropped : inFlight) {
      unclaimed.add(dropped.id()); // their answers are collected at the next get
    }
    inFlight.clear();
    next = reached;
    ended = reached >= end;
  }

  /**
   * The file's size, from the FSTAT sent with the first READs; {@link Long#MAX_VALUE} if the server
   * did not tell it (then the bytes after a short answer are asked for, and end-of-file says where
   * the file ends).
   */
  private long size() throws IOException {
    if (size < 0) {
      Buffer answer = await(fstat);
      fstatTaken = true;
      size = Long.MAX_VALUE;
      SftpResponse response = SftpResponse.parse(SftpConstants.SSH_FXP_FSTAT, answer);
      if (response.getType() == SftpConstants.SSH_FXP_ATTRS) {
        Buffer attrs = response.getBuffer();
        int flags = attrs.getInt();
        if (sftp.getVersion() >= SftpConstants.SFTP_V4) {
          attrs.getUByte(); // the file's type
        }
        if ((flags & SftpConstants.SSH_FILEXFER_ATTR_SIZE) != 0) {
          size = attrs.getLong();
        }
      }
    }
    return size;
  }

  /** No more requests: the range or the file has ended. Answers still on their way are not waited for. */
  private void end() {
    ended = true;
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
    if (fstatSent && !fstatTaken) {
      unclaimed.add(fstat);
    }
    data = new byte[0];
    position = 0;
    limit = 0;
    try {
      unclaimed.add(sftp.write(SftpConstants.SSH_FXP_CLOSE, request(handle.getIdentifier(), 0)).getId());
    } catch (IOException | RuntimeException e) {
      // the session is gone, and the handle with it, or the thread was interrupted before the
      // CLOSE went out: the server closes the handle with the session
    }
  }
}
