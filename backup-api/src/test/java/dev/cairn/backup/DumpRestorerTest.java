package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreInput;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.Verification;
import dev.cairn.backup.spi.VerificationResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DumpRestorer against inputs whose recorded facts disagree with their content (faked: a real
 * repository never stores such snapshots, which is why the checks exist).
 */
class DumpRestorerTest {
  private static final byte[] DUMP = "CREATE TABLE t (id int);\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void aStreamWhoseHashMatchesIsVerified() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RestoreResult r = DumpRestorer.of("dump.sql", out).restore(new Input(DUMP.length, sha256(DUMP)));
    assertThat(out.toByteArray()).isEqualTo(DUMP);
    assertThat(r.verified()).isTrue();
    assertThat(r.results()).hasSize(1);
    assertThat(r.bytes()).isEqualTo(DUMP.length);
    assertThat(r.destination()).isEqualTo("stream");
  }

  @Test
  void aStreamWhoseHashDiffersFailsItsVerification() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RestoreResult r = DumpRestorer.of("/dump.sql", out).restore(new Input(DUMP.length, sha256("other".getBytes())));
    assertThat(r.verified()).isFalse();
    assertThat(r.results().get(0).status()).isEqualTo(VerificationResult.Status.MISMATCH);
    assertThat(r.results().get(0).item()).isEqualTo("dump.sql");
  }

  @Test
  void aTarRefusesContentThatIsNotTheRecordedSize() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> DumpRestorer.of("", out).restore(new Input(DUMP.length + 10, sha256(DUMP))))
        .isInstanceOf(IOException.class).hasMessageContaining("dump.sql");
  }

  @Test
  void aPathNotInTheInputIsNamed() {
    assertThatThrownBy(() -> DumpRestorer.of("other.sql", new ByteArrayOutputStream())
        .restore(new Input(DUMP.length, sha256(DUMP))))
        .isInstanceOf(RestoreException.class).hasMessageContaining("'other.sql'").hasMessageContaining("'stdin'");
  }

  private static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A stream source's input: one file, dump.sql, of recorded {@code size} and {@code checksum}. */
  private record Input(long size, String checksum) implements RestoreInput {
    @Override
    public String snapshotId() {
      return "ab".repeat(32);
    }

    @Override
    public Instant snapshotTime() {
      return Instant.EPOCH;
    }

    @Override
    public String sourceName() {
      return "stdin";
    }

    @Override
    public String sourceType() {
      return "stream";
    }

    @Override
    public Map<String, String> metadata() {
      return Map.of();
    }

    @Override
    public List<EntryMetadata> entries() {
      return List.of(new EntryMetadata("dump.sql", EntryType.FILE, size, Instant.EPOCH, 0644, 0, Map.of()));
    }

    @Override
    public String symlinkTarget(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public InputStream open(String path) {
      return new ByteArrayInputStream(DUMP);
    }

    @Override
    public List<Verification> verifications() {
      return List.of(new Verification("dump.sql", size, checksum, Map.of("algorithm", "sha256")));
    }
  }
}
