package dev.cairn.backup.internal.lock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.Secret;
import dev.cairn.backup.internal.crypto.Argon2Parameters;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import dev.cairn.backup.internal.storage.LocalStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prune must never get its exclusive lock while a backup holds a shared one. Other backups
 * refreshing their locks (new lock object written through a temporary file, old one deleted) make
 * LocalStorage.list stop early and silently, so the prune's look at locks/ can miss the live lock.
 */
class LockListRaceTest {
  @TempDir Path dir;

  private RepositoryOptions options(String host) {
    return RepositoryOptions.builder().argon2(new Argon2Parameters(1024, 1, 1)).hostname(host).build();
  }

  @Test
  void anExclusiveLockIsNeverGrantedWhileASharedLockIsHeld() throws Exception {
    EncryptedRepository.init(new LocalStorage(dir), Secret.of("pw"), options("init")).close();
    List<EncryptedRepository> repos = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> refreshers = new ArrayList<>();
    try {
      EncryptedRepository backup = EncryptedRepository.open(new LocalStorage(dir), Secret.of("pw"), options("backup-host"));
      repos.add(backup);
      Lock held = backup.lock(false); // a backup running on another host, its lock live all along
      for (int i = 0; i < 4; i++) {
        EncryptedRepository other = EncryptedRepository.open(new LocalStorage(dir), Secret.of("pw"), options("other-" + i));
        repos.add(other);
        Lock l = other.lock(false);
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            l.refresh(); // what every backup does every few minutes
          }
        });
        refreshers.add(t);
        t.start();
      }
      EncryptedRepository prune = EncryptedRepository.open(new LocalStorage(dir), Secret.of("pw"), options("prune-host"));
      repos.add(prune);
      long deadline = System.nanoTime() + 3_000_000_000L;
      int attempts = 0;
      Lock wrong = null;
      while (System.nanoTime() < deadline && wrong == null) {
        attempts++;
        try {
          wrong = prune.lock(true);
        } catch (RepositoryLockedException expected) {
          // right: the backup's lock is live
        }
      }
      assertThat(wrong).as("exclusive lock granted after " + attempts + " attempts while " + held.info().describe()
          + " was held").isNull();
    } finally {
      stop.set(true);
      for (Thread t : refreshers) {
        t.join();
      }
      repos.forEach(EncryptedRepository::close);
    }
  }
}
