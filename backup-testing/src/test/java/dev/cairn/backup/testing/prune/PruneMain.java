package dev.cairn.backup.testing.prune;

import dev.cairn.backup.PruneOptions;
import dev.cairn.backup.Secret;
import dev.cairn.backup.Storages;
import dev.cairn.backup.internal.prune.Pruner;
import dev.cairn.backup.internal.repository.EncryptedRepository;
import dev.cairn.backup.internal.repository.RepositoryOptions;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;

/**
 * A prune in its own JVM, for the kill tests: {@code PruneMain REPO PHASE STEP} prunes REPO (max-unused
 * 0, no safety window) and, when PHASE reaches STEP, prints {@code STOPPED} and waits to be killed.
 */
public final class PruneMain {
  private PruneMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Pruner.Phase stopAt = Pruner.Phase.valueOf(args[1]);
    long step = Long.parseLong(args[2]);
    try (EncryptedRepository repo = EncryptedRepository.open(Storages.local(dir), Secret.of(PruneTest.PASSPHRASE),
        RepositoryOptions.defaults())) {
      Pruner.prune(repo, PruneOptions.builder().maxUnused("0").safetyWindow(Duration.ZERO).build(), Clock.systemUTC(),
          (phase, done, total) -> {
            System.out.println("AT " + phase + " " + done + "/" + total);
            if (phase == stopAt && done == step) {
              System.out.println("STOPPED");
              System.out.flush();
              try {
                Thread.sleep(Long.MAX_VALUE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      System.out.println("FINISHED");
    }
  }
}
