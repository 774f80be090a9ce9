package dev.cairn.backup.benchmarks;

import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Hashing throughput over a 1 MiB chunk: HMAC-SHA-256 (chunk ids) and SHA-256 (object names), JCA.
 * Score: MiB/s.
 *
 * <pre>
 * ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests
 * java -jar backup-benchmarks/target/benchmarks.jar HashBenchmark -f 1 -wi 5 -i 5
 * </pre>
 */
public class HashBenchmark extends MibBenchmark {
  private byte[] data;
  private Mac hmac;
  private MessageDigest sha;

  /** Builds the input and the hash objects. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    data = BenchmarkData.random(BenchmarkData.MIB, 2);
    hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    sha = MessageDigest.getInstance("SHA-256");
  }

  /** The chunk id: HMAC-SHA-256 under the repository's id key. */
  @Benchmark
  public byte[] hmacSha256() {
    hmac.update(data, 0, data.length);
    return hmac.doFinal();
  }

  /** The object name: SHA-256. */
  @Benchmark
  public byte[] sha256() {
    sha.update(data, 0, data.length);
    return sha.digest();
  }
}
