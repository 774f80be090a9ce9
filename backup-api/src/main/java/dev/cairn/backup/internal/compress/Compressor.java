package dev.cairn.backup.internal.compress;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.cairn.backup.IntegrityException;

/**
 * Compresses with one {@link Compression} setting, reusing its native context between calls. Not
 * thread-safe: one per worker. {@link #close()} frees the native context.
 */
public final class Compressor implements AutoCloseable {
  /**
   * Each thread's decompression context. zstd-jni frees a context's native memory only on
   * {@code close()} (it has no cleaner), so threads that end release theirs: see
   * {@link #releasingAtExit(Runnable)}.
   */
  private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = new ThreadLocal<>();
  private final Compression compression;
  private ZstdCompressCtx zstd;

  /** Creates a compressor for {@code compression}. */
  public Compressor(Compression compression) {
    this.compression = compression;
    if (compression.codec() == Codec.ZSTD) {
      zstd = new ZstdCompressCtx();
      zstd.setLevel(compression.level());
      zstd.setContentSize(true);
      zstd.setChecksum(false); // blobs are authenticated by GCM and their HMAC id
    }
  }

  /** The setting. */
  public Compression compression() {
    return compression;
  }

  /**
   * Compresses {@code src[off, off+len)} into {@code dst[dstOff, dstOff+dstCap)}.
   *
   * @return the compressed length, or -1 if the codec is {@link Codec#NONE} or the result would not
   *     be smaller than {@code min(len, dstCap + 1)} (store the blob raw then)
   */
  public int compress(byte[] src, int off, int len, byte[] dst, int dstOff, int dstCap) {
    if (zstd == null || len < 64) {
      return -1;
    }
    int cap = Math.min(dstCap, len - 1);
    try {
      return zstd.compressByteArray(dst, dstOff, cap, src, off, len);
    } catch (ZstdException tooBig) {
      return -1; // does not shrink: stored raw
    }
  }

  /**
   * Decompresses {@code src[off, off+len)} written by {@code codec} into exactly {@code ulen} bytes at
   * {@code dst[dstOff]}. Thread-safe.
   *
   * @throws IntegrityException naming {@code what} if the data is malformed or of the wrong length
   */
  public static void decompress(Codec codec, byte[] src, int off, int len, byte[] dst, int dstOff, int ulen,
      String what) {
    switch (codec) {
      case NONE -> {
        if (len != ulen) {
          throw new IntegrityException(what + ": stored length " + len + " differs from recorded length " + ulen);
        }
        System.arraycopy(src, off, dst, dstOff, len);
      }
      case ZSTD -> {
        int n;
        try {
          n = threadDecompressor().decompressByteArray(dst, dstOff, ulen, src, off, len);
        } catch (ZstdException e) {
          throw new IntegrityException(what + ": zstd data is malformed: " + e.getMessage(), e);
        }
        if (n != ulen) {
          throw new IntegrityException(what + ": decompressed to " + n + " bytes, expected " + ulen);
        }
      }
      default -> throw new IllegalStateException("unsupported codec " + codec);
    }
  }

  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
      zstd = null;
    }
  }

  private static ZstdDecompressCtx threadDecompressor() {
    ZstdDecompressCtx ctx = DECOMPRESS.get();
    if (ctx == null) {
      ctx = new ZstdDecompressCtx();
      DECOMPRESS.set(ctx);
    }
    return ctx;
  }

  /** Frees the calling thread's decompression context, if it has one; a later call makes a new one. */
  public static void releaseThreadResources() {
    ZstdDecompressCtx ctx = DECOMPRESS.get();
    if (ctx != null) {
      DECOMPRESS.remove();
      ctx.close();
    }
  }

  /**
   * {@code task}, followed by {@link #releaseThreadResources()}: the body of every thread the engine
   * starts, so that threads of pools that end do not leave native memory behind.
   */
  public static Runnable releasingAtExit(Runnable task) {
    return () -> {
      try {
        task.run();
      } finally {
        releaseThreadResources();
      }
    };
  }

  /** Whether the calling thread holds a decompression context (for tests). */
  static boolean hasThreadContext() {
    return DECOMPRESS.get() != null;
  }
}
