package dev.cairn.backup.internal.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * FastCDC content-defined chunker (gear hash, normalized chunking level 2) with a gear table derived
 * from the repository's secret chunker seed, so boundaries do not leak across repositories.
 *
 * <p>Two ways to feed it: push ({@link #write(byte[], int, int, ChunkConsumer)} then
 * {@link #finish(ChunkConsumer)}, or {@link #outputStream(ChunkConsumer)}), or pull
 * ({@link #chunk(InputStream, ChunkConsumer)}, which reads straight into the chunker's buffer). Chunks
 * are handed to the consumer as slices of the internal buffer, without copying.
 *
 * <p>The boundary rule (see docs/format.md): bytes {@code 0..min-1} of a chunk are skipped; from
 * byte {@code k = min} on, {@code fp = (fp << 1) + gear[b[k]]} (64-bit, wrapping, {@code fp}
 * starting at 0); the chunk ends after byte {@code k} when {@code fp & mask == 0}, with
 * {@code mask = maskS} (the top {@code log2(avg)+2} bits) while {@code k < avg} and {@code maskL}
 * (the top {@code log2(avg)-2} bits) after; or at {@code max} bytes; or at the end of the stream.
 *
 * <p>Not thread-safe: one chunker per stream at a time; reuse it for the next stream after
 * {@link #finish}. Holds a buffer of up to {@code max + 2*avg} bytes, grown as the streams need.
 */
public final class Chunker {
  /** The first buffer's size; it doubles up to {@link #capacity} as a stream's pending chunk needs. */
  static final int INITIAL_BUFFER = 256 << 10;

  private final ChunkerParams params;
  private final long[] gear;
  private final long maskS;
  private final long maskL;
  private final int capacity;
  private byte[] buf;
  private int start; // start of the current chunk in buf
  private int end; // end of valid data in buf
  private int pos; // next byte to hash (absolute in buf)
  private long fp;

  /**
   * Creates a chunker.
   *
   * @param params the size limits
   * @param gear a 256-entry gear table, see {@link #gearTable(byte[])}
   */
  public Chunker(ChunkerParams params, long[] gear) {
    this.params = Objects.requireNonNull(params, "params");
    if (gear.length != 256) {
      throw new IllegalArgumentException("gear table must have 256 entries, got " + gear.length);
    }
    this.gear = gear.clone();
    int bits = Integer.numberOfTrailingZeros(params.avg());
    int level = params.normalization();
    this.maskS = -1L << (64 - Math.min(63, bits + level));
    this.maskL = -1L << (64 - Math.max(1, bits - level));
    this.capacity = (int) Math.min(Integer.MAX_VALUE - 16, (long) params.max() + 2L * params.avg());
    // grown to the capacity by the first stream that needs it: backing up small files, a pooled chunker
    // holds what they need, not a largest chunk's worth (10 MiB with the default sizes)
    this.buf = new byte[Math.min(capacity, INITIAL_BUFFER)];
    reset();
  }

  /**
   * Derives the gear table from a secret seed: entry {@code i} is the big-endian long at byte
   * {@code 8*(i mod 4)} of {@code HMAC-SHA-256(seed, "cairn-v1 gear" || u32be(i / 4))}.
   */
  public static long[] gearTable(byte[] seed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
      byte[] label = "cairn-v1 gear".getBytes(StandardCharsets.US_ASCII);
      long[] table = new long[256];
      for (int block = 0; block < 64; block++) {
        mac.update(label);
        mac.update(ByteBuffer.allocate(4).putInt(block).array());
        ByteBuffer out = ByteBuffer.wrap(mac.doFinal());
        for (int j = 0; j < 4; j++) {
          table[block * 4 + j] = out.getLong();
        }
      }
      return table;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
    }
  }

  /** The size limits. */
  public ChunkerParams params() {
    return params;
  }

  /** Discards any buffered data and starts a new stream. */
  public void reset() {
    start = 0;
    end = 0;
    pos = params.min();
    fp = 0;
  }

  /**
   * Feeds {@code b[off, off+len)}; every chunk completed by it goes to {@code consumer} before this
   * returns.
   *
   * @throws IOException when the consumer throws it
   */
  public void write(byte[] b, int off, int len, ChunkConsumer consumer) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      makeRoom();
      int n = Math.min(len, buf.length - end);
      System.arraycopy(b, off, buf, end, n);
      end += n;
      off += n;
      len -= n;
      cut(consumer, false);
    }
  }

  /**
   * Ends the stream: the remaining bytes (if any) go to {@code consumer} as the last chunk; the
   * chunker is then ready for the next stream.
   *
   * @throws IOException when the consumer throws it
   */
  public void finish(ChunkConsumer consumer) throws IOException {
    try {
      cut(consumer, true);
    } finally {
      reset();
    }
  }

  /**
   * Chunks all of {@code in} (read straight into the chunker's buffer) and finishes the stream. Does
   * not close {@code in}.
   *
   * @return the number of bytes read
   * @throws IOException from the stream or the consumer
   */
  public long chunk(InputStream in, ChunkConsumer consumer) throws IOException {
    reset();
    long total = 0;
    while (true) {
      makeRoom();
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        break;
      }
      end += n;
      total += n;
      cut(consumer, false);
    }
    finish(consumer);
    return total;
  }

  /**
   * Returns an output stream that feeds this chunker; closing it {@link #finish finishes} the stream
   * (it owns nothing else). Starts a new stream.
   */
  public OutputStream outputStream(ChunkConsumer consumer) {
    reset();
    return new OutputStream() {
      private boolean closed;
      private final byte[] one = new byte[1];

      @Override
      public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
          throw new IOException("chunker stream is closed");
        }
        Chunker.this.write(b, off, len, consumer);
      }

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          finish(consumer);
        }
      }
    };
  }

  /** Moves the pending chunk to the start of the buffer when the buffer is full. */
  private void makeRoom() {
    if (end == buf.length && start > 0) {
      int n = end - start;
      System.arraycopy(buf, start, buf, 0, n);
      pos -= start;
      end = n;
      start = 0;
    } else if (end == buf.length && buf.length < capacity) {
      buf = Arrays.copyOf(buf, (int) Math.min(capacity, 2L * buf.length));
    }
  }

  private void cut(ChunkConsumer consumer, boolean last) throws IOException {
    final int min = params.min();
    final int avg = params.avg();
    final int max = params.max();
    final byte[] b = buf;
    final long[] g = gear;
    while (end > start) {
      int limit = Math.min(end, start + max);
      int normal = start + avg;
      long h = fp;
      int i = pos;
      int boundary = -1;
      int stopS = Math.min(limit, normal);
      for (; i < stopS; i++) {
        h = (h << 1) + g[b[i] & 0xff];
        if ((h & maskS) == 0) {
          boundary = i + 1;
          break;
        }
      }
      if (boundary < 0) {
        for (; i < limit; i++) {
          h = (h << 1) + g[b[i] & 0xff];
          if ((h & maskL) == 0) {
            boundary = i + 1;
            break;
          }
        }
      }
      if (boundary < 0) {
        if (limit - start == max) {
          boundary = limit;
        } else if (last) {
          boundary = end;
        } else {
          pos = Math.max(i, pos);
          fp = h;
          return;
        }
      }
      int s = start;
      start = boundary;
      pos = boundary + min;
      fp = 0;
      consumer.accept(b, s, boundary - s);
    }
    if (end == start) {
      // everything consumed: restart at the beginning of the buffer without copying
      start = 0;
      end = 0;
      pos = min;
      fp = 0;
    }
  }
}
