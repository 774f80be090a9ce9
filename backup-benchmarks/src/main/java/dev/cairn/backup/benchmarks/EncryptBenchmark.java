package dev.cairn.backup.benchmarks;

import dev.cairn.backup.internal.crypto.Aead;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * AES-256-GCM (JCA) over a 1 MiB blob as the repository does it ({@link Aead}: encryption fed in
 * 64 KiB slices, decryption in one call), a fresh nonce per operation, and, for comparison, encryption
 * with a single {@code doFinal} over the whole MiB (the slow path on Java 17). Score: MiB/s.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -jar backup-benchmarks/target/benchmarks.jar EncryptBenchmark -f 1 -wi 5 -i 5
 * </pre>
 */
public class EncryptBenchmark extends MibBenchmark {
  private static final byte[] AAD = new byte[33];
  private byte[] plain;
  private byte[] cipherText;
  private byte[] out;
  private SecretKey key;
  private long counter;
  private byte[] fixedNonce;
  private Cipher single;

  /** Builds the input, key and a ciphertext to decrypt. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    plain = BenchmarkData.random(BenchmarkData.MIB, 4);
    key = Aead.aesKey(BenchmarkData.random(32, 5));
    fixedNonce = Aead.counterNonce(-1);
    cipherText = Aead.encrypt(key, fixedNonce, AAD, plain);
    out = new byte[BenchmarkData.MIB + Aead.TAG_LENGTH];
    single = Cipher.getInstance("AES/GCM/NoPadding");
  }

  /** Encryption as the pack writer does it. */
  @Benchmark
  public int encrypt() {
    return Aead.encrypt(key, Aead.counterNonce(counter++), AAD, plain, 0, plain.length, out, 0);
  }

  /** Decryption and authentication as blob reads do it. */
  @Benchmark
  public int decrypt() {
    return Aead.decrypt(key, fixedNonce, AAD, cipherText, 0, cipherText.length, out, 0, "bench");
  }

  /** Encryption with one doFinal over the whole MiB (what Aead avoids). */
  @Benchmark
  public int encryptSingleDoFinal() throws Exception {
    single.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, Aead.counterNonce(counter++)));
    single.updateAAD(AAD);
    return single.doFinal(plain, 0, plain.length, out, 0);
  }
}
