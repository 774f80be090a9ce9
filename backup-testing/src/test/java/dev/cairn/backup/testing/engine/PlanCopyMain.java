package dev.cairn.backup.testing.engine;

import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.CopyReport;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Schedule;
import dev.cairn.backup.Storages;
import dev.cairn.backup.Target;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One run of a plan in a process of its own, for tests that limit its heap: {@code PlanCopyMain DIR PRIMARY
 * COPY} backs DIR up into PRIMARY and copies the snapshot to COPY, creating both repositories (with the
 * library's default repository settings and key derivation, as {@code cairn plan run --init} does, on two
 * workers); prints {@code COPY <target> <snapshots copied> <failure or ok>} per copy.
 */
public final class PlanCopyMain {
  private PlanCopyMain() {}

  public static void main(String[] args) {
    BackupPlan plan = BackupPlan.builder().name("p").source(FileSource.of(Path.of(args[0])))
        .encryption(Encryption.passphrase(() -> TestRepos.PASSPHRASE))
        .primary(Target.of("local", Storages.local(Path.of(args[1]))))
        .copyTo(Target.of("drive", Storages.local(Path.of(args[2]))), Schedule.every(Duration.ofSeconds(1)))
        .createRepository(true)
        .workers(2)
        .build();
    BackupReport r = plan.backup();
    for (CopyReport c : r.copies()) {
      System.out.println("COPY " + c.target() + " " + c.copied().size() + " "
          + (c.failure() == null || c.failure().isEmpty() ? "ok" : c.failure()));
    }
    System.exit(0);
  }
}
