package dev.cairn.backup;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a plan unlocks its repositories: a passphrase, asked for when the repository is opened (the
 * supplier is called once per backup, restore or verify, never stored). Everything except the key
 * files is encrypted with AES-256-GCM under master keys that the passphrase unwraps. Immutable.
 */
public final class Encryption {
  private final Supplier<Secret> passphrase;

  private Encryption(Supplier<Secret> passphrase) {
    this.passphrase = Objects.requireNonNull(passphrase, "passphrase");
  }

  /** Encryption unlocked by the passphrase {@code passphrase} supplies (e.g. from a file or vault). */
  public static Encryption passphrase(Supplier<Secret> passphrase) {
    return new Encryption(passphrase);
  }

  /** Encryption unlocked by a fixed passphrase. */
  public static Encryption passphrase(Secret passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    return new Encryption(() -> passphrase);
  }

  /** Calls the supplier and returns the passphrase. */
  public Secret resolvePassphrase() {
    return Secret.from(passphrase);
  }

  @Override
  public String toString() {
    return "Encryption[passphrase]";
  }
}
