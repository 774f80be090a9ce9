package dev.cairn.backup.internal.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final ChunkerParams SMALL = new ChunkerParams(8 * 1024, 32 * 1024, 256 * 1024);

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Chunker chunker(ChunkerParams p, int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    return new Chunker(p, Chunker.gearTable(s));
  }

  /** Chunk ends (exclusive offsets) of {@code data} fed in one piece through the pull API. */
  private static List<Long> boundaries(Chunker c, byte[] data) throws IOException {
    List<Long> ends = new ArrayList<>();
    long[] pos = {0};
    c.chunk(new ByteArrayInputStream(data), (b, off, len) -> {
      pos[0] += len;
      ends.add(pos[0]);
    });
    return ends;
  }

  /**
   * Known answers: the boundaries existing repositories were chunked with (normalization level 2,
   * chunker fastcdc-gear-v1) must never change, or their next backups would stop deduplicating.
   */
  @Test
  void legacyLevelCutsWhereItAlwaysDid() throws IOException {
    byte[] data = random(48 * 1024 * 1024, 77);
    ChunkerParams smallLegacy = new ChunkerParams(SMALL.min(), SMALL.avg(), SMALL.max(),
        ChunkerParams.LEGACY_NORMALIZATION);
    ChunkerParams legacy = new ChunkerParams(ChunkerParams.DEFAULT_MIN, ChunkerParams.DEFAULT_AVG,
        ChunkerParams.DEFAULT_MAX, ChunkerParams.LEGACY_NORMALIZATION);
    List<Long> small = boundaries(chunker(smallLegacy, 3), java.util.Arrays.copyOf(data, 4 * 1024 * 1024));
    List<Long> large = boundaries(chunker(legacy, 3), data);
    // recorded with the chunker as it was before the level became a parameter (commit 3680c36)
    assertThat(small).hasSize(113);
    assertThat(small.hashCode()).isEqualTo(1546186158);
    assertThat(large).hasSize(45);
    assertThat(large.hashCode()).isEqualTo(-266345950);
    // and the default level cuts elsewhere
    assertThat(boundaries(chunker(ChunkerParams.defaults(), 3), data)).isNotEqualTo(large);
  }

  /**
   * Why new repositories use level 1: after an edit in the middle of a file, its boundaries line up
   * with the old ones again sooner, so less new data is stored (restic's second bench backup stored
   * 4 MB less than Cairn's at level 2, all of it in one file with 2 MiB overwritten mid-file).
   */
  @Test
  void levelOneRealignsSoonerAfterAnEditThanTheLegacyLevel() throws IOException {
    long[] newBytes = new long[3];
    for (int level = 1; level <= 2; level++) {
      ChunkerParams p = new ChunkerParams(SMALL.min(), SMALL.avg(), SMALL.max(), level);
      for (int trial = 0; trial < 40; trial++) {
        byte[] data = random(3 * 1024 * 1024, 1000 + trial);
        byte[] edited = data.clone();
        byte[] patch = random(64 * 1024, 5000 + trial);
        System.arraycopy(patch, 0, edited, data.length / 3 + trial * 997, patch.length);
        Set<Long> old = new HashSet<>();
        List<Long> before = boundaries(chunker(p, 7), data);
        for (int i = 0; i < before.size(); i++) {
          old.add((i == 0 ? 0 : before.get(i - 1)) * 1_000_000_007L + before.get(i));
        }
        List<Long> after = boundaries(chunker(p, 7), edited);
        for (int i = 0; i < after.size(); i++) {
          long start = i == 0 ? 0 : after.get(i - 1);
          if (!old.contains(start * 1_000_000_007L + after.get(i))) {
            newBytes[level] += after.get(i) - start; // a chunk the old version did not have
          }
        }
      }
    }
    assertThat(newBytes[1]).as("new bytes at level 1 vs level 2: %s", java.util.Arrays.toString(newBytes))
        .isLessThan(newBytes[2]);
  }

  @Test
  void cutsWithinLimitsAndReassemblesTheInput() throws IOException {
    byte[] data = random(6 * 1024 * 1024, 1);
    Chunker c = chunker(SMALL, 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> sizes = new ArrayList<>();
    c.chunk(new ByteArrayInputStream(data), (b, off, len) -> {
      out.write(b, off, len);
      sizes.add(len);
    });
    assertThat(out.toByteArray()).isEqualTo(data);
    for (int i = 0; i < sizes.size() - 1; i++) {
      assertThat(sizes.get(i)).isBetween(SMALL.min(), SMALL.max());
    }
    double avg = data.length / (double) sizes.size();
    // normalized chunking keeps the average near the target
    assertThat(avg).isBetween(SMALL.avg() * 0.6, SMALL.avg() * 1.6);
  }

  @Test
  void pushAndPullGiveTheSameChunksWhateverTheWriteSizes() throws IOException {
    byte[] data = random(3 * 1024 * 1024 + 12345, 2);
    List<Long> pulled = boundaries(chunker(SMALL, 1), data);
    for (int writeSize : new int[] {1, 7, 4096, 100_000, data.length}) {
      Chunker c = chunker(SMALL, 1);
      List<Long> ends = new ArrayList<>();
      long[] pos = {0};
      int step = writeSize == 1 ? 997 : writeSize; // single bytes for a prefix only, to keep it quick
      try (OutputStream os = c.outputStream((b, off, len) -> {
        pos[0] += len;
        ends.add(pos[0]);
      })) {
        int i = 0;
        if (writeSize == 1) {
          for (; i < 300_000; i++) {
            os.write(data[i]);
          }
        }
        while (i < data.length) {
          int n = Math.min(step, data.length - i);
          os.write(data, i, n);
          i += n;
        }
      }
      assertThat(ends).as("write size %d", writeSize).isEqualTo(pulled);
    }
  }

  @Test
  void pullHandlesShortReads() throws IOException {
    byte[] data = random(2 * 1024 * 1024, 3);
    List<Long> expected = boundaries(chunker(SMALL, 1), data);
    InputStream trickle = new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1000));
      }
    };
    List<Long> ends = new ArrayList<>();
    long[] pos = {0};
    chunker(SMALL, 1).chunk(trickle, (b, off, len) -> {
      pos[0] += len;
      ends.add(pos[0]);
    });
    assertThat(ends).isEqualTo(expected);
  }

  @Test
  void insertInTheMiddleMovesOnlyNearbyBoundaries() throws IOException {
    byte[] data = random(8 * 1024 * 1024, 4);
    int at = data.length / 2;
    byte[] inserted = new byte[data.length + 10];
    System.arraycopy(data, 0, inserted, 0, at);
    System.arraycopy("0123456789".getBytes(), 0, inserted, at, 10);
    System.arraycopy(data, at, inserted, at + 10, data.length - at);

    List<Long> before = boundaries(chunker(SMALL, 1), data);
    List<Long> after = boundaries(chunker(SMALL, 1), inserted);
    Set<Long> shiftedBack = new HashSet<>();
    for (long e : after) {
      shiftedBack.add(e <= at ? e : e - 10);
    }
    long changed = before.stream().filter(e -> !shiftedBack.contains(e)).count();
    // every boundary before the insert is kept; after it, they resynchronise within a chunk or two
    assertThat(before.stream().filter(e -> e < at)).allMatch(shiftedBack::contains);
    assertThat(changed).isLessThanOrEqualTo(2);
    assertThat(before.size()).isGreaterThan(100);
  }

  @Test
  void differentSeedsCutDifferently() throws IOException {
    byte[] data = random(4 * 1024 * 1024, 5);
    List<Long> a = boundaries(chunker(SMALL, 1), data);
    List<Long> b = boundaries(chunker(SMALL, 2), data);
    Set<Long> common = new HashSet<>(a);
    common.retainAll(new HashSet<>(b));
    assertThat(common.size()).isLessThan(a.size() / 4);
  }

  @Test
  void zerosAreCutAtMax() throws IOException {
    byte[] data = new byte[SMALL.max() * 3 + 5];
    List<Long> ends = boundaries(chunker(SMALL, 1), data);
    // a constant stream has no content boundary: the gear hash of zeros is constant
    assertThat(ends).hasSizeGreaterThanOrEqualTo(3);
    assertThat(ends.get(ends.size() - 1)).isEqualTo(data.length);
  }

  @Test
  void emptyAndTinyStreams() throws IOException {
    assertThat(boundaries(chunker(SMALL, 1), new byte[0])).isEmpty();
    assertThat(boundaries(chunker(SMALL, 1), new byte[] {42})).containsExactly(1L);
  }

  @Test
  void chunkerIsReusableAcrossStreams() throws IOException {
    Chunker c = chunker(SMALL, 1);
    byte[] a = random(1_000_000, 6);
    byte[] b = random(1_500_000, 7);
    List<Long> first = boundaries(c, a);
    boundaries(c, b);
    assertThat(boundaries(c, a)).isEqualTo(first);
    // push API: an unfinished stream is discarded by reset
    c.write(b, 0, 5000, (x, y, z) -> {});
    c.reset();
    assertThat(boundaries(c, a)).isEqualTo(first);
  }

  @Test
  void consumerExceptionsPropagate() {
    Chunker c = chunker(SMALL, 1);
    assertThatThrownBy(() -> c.chunk(new ByteArrayInputStream(random(1_000_000, 8)), (b, off, len) -> {
      throw new IOException("disk full");
    })).isInstanceOf(IOException.class).hasMessage("disk full");
  }

  @Test
  void rejectsBadParams() {
    assertThatThrownBy(() -> new ChunkerParams(1024, 3000, 8192)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new ChunkerParams(4096, 4096, 8192)).hasMessageContaining("min < avg < max");
    assertThat(ChunkerParams.defaults()).isEqualTo(new ChunkerParams(512 * 1024, 1024 * 1024, 8 * 1024 * 1024));
  }
}
