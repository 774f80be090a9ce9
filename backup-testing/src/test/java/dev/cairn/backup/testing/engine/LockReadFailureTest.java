package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.lock.Lock;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.storage.LocalStorage;
import dev.cairn.backup.spi.Storage;
import dev.cairn.backup.testing.ForwardingStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock object that cannot be read because the storage fails (not because it is damaged) is
 * ignored as "unreadable", so an exclusive lock (prune) is granted while a backup holds a live
 * shared lock.
 */
class LockReadFailureTest {
  @TempDir Path dir;

  private static RepositoryOptions options(String host) {
    return RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1)).hostname(host).build();
  }

  @Test
  void aLockThatCannotBeReadIsNotTakenForAbsent() {
    EncryptedRepository.init(new LocalStorage(dir), Secret.of("pw"), options("init")).close();
    Storage failingLockReads = new ForwardingStorage(new LocalStorage(dir)) {
      @Override
      public InputStream get(String name, long offset, long length) throws IOException {
        if (name.startsWith("locks/")) {
          throw new IOException("connection reset"); // or still failing after RetryingStorage's attempts
        }
        return super.get(name, offset, length);
      }
    };
    try (EncryptedRepository backup = EncryptedRepository.open(new LocalStorage(dir), Secret.of("pw"), options("b"));
        Lock held = backup.lock(false);
        EncryptedRepository prune = EncryptedRepository.open(failingLockReads, Secret.of("pw"), options("p"))) {
      assertThatThrownBy(() -> prune.lock(true).close())
          .as("the exclusive lock must not be granted while the backup's lock may be live")
          .isNotNull();
      // listing the locks (cairn list locks, unlock's stale check) skips it with a warning instead
      org.assertj.core.api.Assertions.assertThat(prune.locks()).isEmpty();
    }
  }
}
