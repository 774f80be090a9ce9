package dev.cairn.backup.internal.repository;

/**
 * The kinds of objects in a repository's storage, each under its own prefix. All but
 * {@link #CONFIG} are named by the SHA-256 of their stored bytes, in lower-case hex.
 */
public enum FileType {
  /** The repository config, a single object named {@code config}. */
  CONFIG("config"),
  /** Key files {@code keys/<id>}: master keys wrapped by a passphrase-derived key (not encrypted otherwise). */
  KEY("keys/"),
  /** Lock objects {@code locks/<id>}. */
  LOCK("locks/"),
  /** Index files {@code index/<id>}. */
  INDEX("index/"),
  /** Pack files {@code data/<first two hex digits>/<id>}. */
  PACK("data/"),
  /** Snapshot objects {@code snapshots/<id>}, the commit point of a backup. */
  SNAPSHOT("snapshots/");

  private final String prefix;

  FileType(String prefix) {
    this.prefix = prefix;
  }

  /** The storage prefix (or the full name for {@link #CONFIG}). */
  public String prefix() {
    return prefix;
  }

  /** The label bound into the encryption of objects of this type as associated data. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
