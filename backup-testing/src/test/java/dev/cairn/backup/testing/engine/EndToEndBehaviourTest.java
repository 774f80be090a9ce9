package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.BackupPlan;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.Check;
import dev.cairn.backup.Encryption;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Progress;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RepositoryKey;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Secret;
import dev.cairn.backup.SourceException;
import dev.cairn.backup.StreamSource;
import dev.cairn.backup.Target;
import dev.cairn.backup.WrongPassphraseException;
import dev.cairn.backup.testing.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans, checks, stream sources, key slots and progress through a real repository. */
class EndToEndBehaviourTest {
  @TempDir Path tmp;

  private static Check check(String name, boolean pass, Check.OnFailure policy) {
    return new Check() {
      @Override public String name() { return name; }
      @Override public void run() { if (!pass) { throw new IllegalStateException(name + " is broken"); } }
      @Override public Check.OnFailure onFailure() { return policy; }
    };
  }

  @Test
  void failingCommandWritesNoSnapshotAndChecksAbortOrMark() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Repository repo = TestRepos.init(storage)) {
      assertThatThrownBy(() -> repo.backup(List.of(StreamSource.command("db", "db.sql",
          List.of("sh", "-c", "head -c 3000000 /dev/zero; echo 'connection refused' >&2; exit 2")))))
          .isInstanceOf(SourceException.class).hasMessageContaining("connection refused");
      assertThat(repo.snapshots()).isEmpty();
      assertThat(repo.verify(false).ok()).isTrue();

      Path src = tmp.resolve("src");
      TestTrees.writeAwkwardTree(src, 3, 0);
      assertThatThrownBy(() -> repo.backup(List.of(FileSource.of(src)), dev.cairn.backup.BackupOptions.builder()
          .addCheck(check("yaml parses", false, Check.OnFailure.ABORT)).build()))
          .isInstanceOf(BackupException.class).hasMessageContaining("yaml parses");
      assertThat(repo.snapshots()).isEmpty();

      BackupReport marked = repo.backup(List.of(FileSource.of(src), StreamSource.command("db", "db.sql",
          List.of("sh", "-c", "echo 'CREATE TABLE t (id int);'"))), dev.cairn.backup.BackupOptions.builder()
          .addCheck(check("reachable", true, Check.OnFailure.ABORT))
          .addCheck(check("syntax", false, Check.OnFailure.MARK)).build());
      assertThat(marked.snapshot().checksPassed()).isFalse();
      assertThat(repo.snapshot("latest").checks()).extracting(c -> c.name() + "=" + c.passed())
          .containsExactly("reachable=true", "syntax=false");
      assertThat(marked.clean()).isFalse();

      Path dest = tmp.resolve("r");
      RestoreReport r = repo.restore(RestoreRequest.builder().destination(dest).build());
      assertThat(r.verified()).isTrue();
      assertThat(Files.readString(dest.resolve("db/db.sql"))).isEqualTo("CREATE TABLE t (id int);\n");
      assertThat(Files.readString(dest.resolve("files/secret"))).isEqualTo("s3cr3t");
    }
  }

  @Test
  void planBacksUpWithProgressAndKeySlotsWork() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    Path src = tmp.resolve("src");
    TestTrees.writeAwkwardTree(src, 50, 5 << 20);
    List<Progress> samples = new CopyOnWriteArrayList<>();
    try (Repository repo = TestRepos.init(storage)) {
      assertThat(repo.keys()).hasSize(1).allMatch(RepositoryKey::current);
    }
    BackupPlan plan = BackupPlan.builder()
        .name("infra")
        .source(FileSource.of(src).name("ansible").include("group_vars/all.yaml", "roles/*/tasks/main.yaml"))
        .source(FileSource.of(src).name("all"))
        .target(Target.of("local", storage))
        .encryption(Encryption.passphrase(() -> TestRepos.PASSPHRASE))
        .clock(Clock.fixed(Instant.parse("2026-11-28T04:00:00Z"), ZoneOffset.UTC))
        .host("h1")
        .addTag("daily")
        .progress(samples::add)
        .build();
    BackupReport report = plan.backup();
    assertThat(report.target()).isEqualTo("local");
    assertThat(report.snapshot().time()).isEqualTo(Instant.parse("2026-11-28T04:00:00Z"));
    assertThat(report.snapshot().source("ansible").orElseThrow().entries()).isEqualTo(9);
    assertThat(samples).isNotEmpty();
    Progress last = samples.get(samples.size() - 1);
    assertThat(last.bytes()).isEqualTo(report.bytesRead());
    assertThat(last.files()).isEqualTo(report.files());
    assertThat(plan.snapshots()).hasSize(1);
    BackupReport second = plan.backup();
    assertThat(second.snapshot().parent()).isEqualTo(report.snapshotId());

    Path dest = tmp.resolve("ansible");
    plan.restore(RestoreRequest.builder().source("ansible").destination(dest).build());
    assertThat(Files.readString(dest.resolve("roles/db/tasks/main.yaml"))).isEqualTo("- name: db\n");
    assertThat(dest.resolve("roles/db/handlers")).doesNotExist();

    try (Repository repo = TestRepos.open(storage)) {
      RepositoryKey added = repo.addKey(Secret.of("second passphrase"));
      assertThat(repo.keys()).hasSize(2);
      assertThat(repo.stats().snapshots()).isEqualTo(2);
      try (Repository other = TestRepos.builder(storage).passphrase(Secret.of("second passphrase")).open()) {
        assertThat(other.snapshots()).hasSize(2);
        other.changePassphrase(Secret.of("third passphrase"));
      }
      assertThat(repo.keys()).hasSize(2).noneMatch(k -> k.id().equals(added.id()));
    }
    assertThatThrownBy(() -> TestRepos.builder(storage).passphrase(Secret.of("second passphrase")).open())
        .isInstanceOf(WrongPassphraseException.class);
    try (Repository third = TestRepos.builder(storage).passphrase(Secret.of("third passphrase")).open()) {
      assertThat(third.snapshots()).hasSize(2);
    }
  }
}
