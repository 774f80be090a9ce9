package dev.cairn.backup.internal.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.backup.ConfigurationException;
import dev.cairn.backup.IntegrityException;
import dev.cairn.backup.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters.Builder;

/**
 * A key file ({@code keys/<id>}): the master keys wrapped with AES-256-GCM under a key derived from
 * a passphrase with Argon2id. The only object not encrypted with the master key; its JSON schema is
 * in docs/format.md. Immutable.
 *
 * @param created when it was written
 * @param host who wrote it (host)
 * @param user who wrote it (user)
 * @param argon2 the KDF costs
 * @param salt the 16-byte KDF salt
 * @param nonce the 12-byte GCM nonce
 * @param data the wrapped master keys (ciphertext and tag)
 */
public record KeyFile(Instant created, String host, String user, Argon2Parameters argon2, byte[] salt, byte[] nonce,
    byte[] data) {
  /** The key file format version. */
  public static final int VERSION = 1;
  private static final byte[] AAD = "cairn-v1 key".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  /** Wraps {@code keys} under {@code passphrase}. */
  public static KeyFile create(MasterKeys keys, Secret passphrase, Argon2Parameters argon2, Instant created,
      String host, String user, SecureRandom random) {
    byte[] salt = new byte[16];
    byte[] nonce = new byte[Aead.NONCE_LENGTH];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    ObjectNode m = JSON.createObjectNode();
    m.put("encryption", B64.encodeToString(keys.encryption()));
    m.put("id", B64.encodeToString(keys.id()));
    m.put("chunkerSeed", B64.encodeToString(keys.chunkerSeed()));
    byte[] plain = m.toString().getBytes(StandardCharsets.UTF_8);
    SecretKey kek = deriveKey(passphrase, salt, argon2);
    byte[] data = Aead.encrypt(kek, nonce, AAD, plain);
    Arrays.fill(plain, (byte) 0);
    return new KeyFile(created, host, user, argon2, salt, nonce, data);
  }

  /**
   * Unwraps the master keys, or returns empty if {@code passphrase} is not the one of this key file.
   *
   * @throws IntegrityException if the unwrapped content is malformed
   */
  public Optional<MasterKeys> open(Secret passphrase) {
    SecretKey kek = deriveKey(passphrase, salt, argon2);
    byte[] plain;
    try {
      plain = Aead.decrypt(kek, nonce, AAD, data, 0, data.length, "key file");
    } catch (IntegrityException wrongPassphrase) {
      return Optional.empty();
    }
    try {
      JsonNode m = JSON.readTree(plain);
      return Optional.of(new MasterKeys(b64(m, "encryption"), b64(m, "id"), b64(m, "chunkerSeed")));
    } catch (IOException | IllegalArgumentException e) {
      throw new IntegrityException("key file content is malformed: " + e.getMessage(), e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static byte[] b64(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return B64D.decode(v.asText());
  }

  /** Serializes to the stored JSON. */
  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", VERSION);
    n.put("created", created.toString());
    n.put("host", host);
    n.put("user", user);
    ObjectNode kdf = n.putObject("kdf");
    kdf.put("algorithm", "argon2id");
    kdf.put("version", 19);
    kdf.put("memoryKiB", argon2.memoryKiB());
    kdf.put("iterations", argon2.iterations());
    kdf.put("parallelism", argon2.parallelism());
    kdf.put("salt", B64.encodeToString(salt));
    n.put("cipher", "aes-256-gcm");
    n.put("nonce", B64.encodeToString(nonce));
    n.put("data", B64.encodeToString(data));
    return n.toPrettyString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a stored key file.
   *
   * @throws ConfigurationException for an unknown version or KDF
   * @throws IntegrityException if malformed
   */
  public static KeyFile parse(byte[] json, String name) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new IntegrityException("key file " + name + " is not valid JSON: " + e.getMessage(), e);
    }
    int version = n.path("version").asInt(-1);
    if (version != VERSION) {
      throw new ConfigurationException("key file " + name + " has format version " + version
          + ", this Cairn reads version " + VERSION + ": upgrade Cairn");
    }
    JsonNode kdf = n.path("kdf");
    if (!"argon2id".equals(kdf.path("algorithm").asText()) || kdf.path("version").asInt() != 19
        || !"aes-256-gcm".equals(n.path("cipher").asText())) {
      throw new ConfigurationException("key file " + name + " uses an unknown KDF or cipher: upgrade Cairn");
    }
    try {
      return new KeyFile(Instant.parse(n.path("created").asText()), n.path("host").asText(),
          n.path("user").asText(),
          new Argon2Parameters(kdf.path("memoryKiB").asInt(), kdf.path("iterations").asInt(),
              kdf.path("parallelism").asInt()),
          b64(kdf, "salt"), b64(n, "nonce"), b64(n, "data"));
    } catch (RuntimeException e) {
      throw new IntegrityException("key file " + name + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Argon2id (version 0x13) of the passphrase's UTF-8 bytes: a 32-byte AES key. */
  static SecretKey deriveKey(Secret passphrase, byte[] salt, Argon2Parameters p) {
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(new Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
        .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(salt)
        .withMemoryAsKB(p.memoryKiB())
        .withIterations(p.iterations())
        .withParallelism(p.parallelism())
        .build());
    byte[] pw = passphrase.utf8();
    byte[] out = new byte[32];
    try {
      gen.generateBytes(pw, out);
      return Aead.aesKey(out);
    } finally {
      Arrays.fill(pw, (byte) 0);
      Arrays.fill(out, (byte) 0);
    }
  }
}
