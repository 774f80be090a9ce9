package dev.cairn.backup.internal.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompressorTest {
  private static final byte[] TEXT = "the quick brown fox jumps over the lazy dog; ".repeat(2000)
      .getBytes(StandardCharsets.UTF_8);

  private static byte[] compressed() {
    try (Compressor c = new Compressor(Compression.zstd(3))) {
      byte[] out = new byte[TEXT.length];
      int n = c.compress(TEXT, 0, TEXT.length, out, 0, out.length);
      assertThat(n).isPositive().isLessThan(TEXT.length / 10);
      return Arrays.copyOf(out, n);
    }
  }

  private static void roundTrip(byte[] z) {
    byte[] back = new byte[TEXT.length];
    Compressor.decompress(Codec.ZSTD, z, 0, z.length, back, 0, back.length, "blob x");
    assertThat(back).isEqualTo(TEXT);
  }

  @Test
  void threadsStartedThroughReleasingAtExitFreeTheirDecompressionContext() throws Exception {
    byte[] z = compressed();
    int n = 4;
    boolean[] heldWhileWorking = new boolean[n];
    boolean[] heldAfterwards = new boolean[n];
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      Runnable body = Compressor.releasingAtExit(() -> {
        roundTrip(z);
        roundTrip(z); // the second call reuses the thread's context
        heldWhileWorking[k] = Compressor.hasThreadContext();
      });
      threads.add(new Thread(() -> {
        body.run();
        heldAfterwards[k] = Compressor.hasThreadContext();
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    for (int i = 0; i < n; i++) {
      assertThat(heldWhileWorking[i]).as("thread %d while decompressing", i).isTrue();
      assertThat(heldAfterwards[i]).as("thread %d after its task", i).isFalse();
    }
  }

  @Test
  void releasingAndDecompressingAgainOnTheSameThreadWorks() {
    byte[] z = compressed();
    roundTrip(z);
    assertThat(Compressor.hasThreadContext()).isTrue();
    Compressor.releaseThreadResources();
    assertThat(Compressor.hasThreadContext()).isFalse();
    Compressor.releaseThreadResources(); // nothing left to release: no error
    roundTrip(z);
    Compressor.releaseThreadResources();
  }

  @Test
  void aTruncatedFrameIsAnIntegrityErrorNamingTheBlob() {
    // (flipped bits inside a frame are not zstd's to catch: blobs carry no zstd checksum, AES-GCM and the
    // blob's HMAC id authenticate them)
    byte[] z = Arrays.copyOf(compressed(), compressed().length / 2);
    assertThatThrownBy(() -> roundTrip(z)).isInstanceOf(IntegrityException.class).hasMessageContaining("blob x");
  }
}
