package dev.cairn.backup.testing.engine;

import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.Storages;
import java.nio.file.Path;

/**
 * Lists entries in a process of its own, for tests that limit its heap:
 * {@code EntriesMain REPO SOURCE PATH}; prints {@code ENTRIES <count>} for the latest snapshot.
 */
public final class EntriesMain {
  private EntriesMain() {}

  public static void main(String[] args) {
    try (Repository repo = TestRepos.open(Storages.local(Path.of(args[0])))) {
      Snapshot latest = repo.snapshot("latest");
      System.out.println("ENTRIES " + repo.entries(latest, args[1], args[2]).size());
    }
    System.exit(0);
  }
}
