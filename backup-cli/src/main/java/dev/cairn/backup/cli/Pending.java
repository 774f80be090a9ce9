package dev.cairn.backup.cli;

import dev.cairn.backup.BackupException;

/** Placeholder until the engine's public facade is on the branch. */
final class Pending {
  private Pending() {}

  static BackupException engine(String command) {
    return new BackupException("cairn " + command + " is not available in this build yet");
  }
}
