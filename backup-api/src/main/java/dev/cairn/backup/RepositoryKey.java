package dev.cairn.backup;

import java.time.Instant;
import java.util.Objects;

/**
 * One key slot of a repository: a copy of the master keys wrapped by one passphrase.
 *
 * @param id the key file's id (use {@link ObjectId#shortHex()} or a unique prefix in the CLI)
 * @param created when the slot was added
 * @param host the host that added it, or {@code ""}
 * @param current true for the slot that opened this repository
 */
public record RepositoryKey(ObjectId id, Instant created, String host, boolean current) {
  /** Checks the values and copies the lists. */
  public RepositoryKey {
    Objects.requireNonNull(id, "id");
    host = host == null ? "" : host;
  }
}
