package dev.cairn.backup.testing.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupReport;
import dev.cairn.backup.FileSource;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Storages;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names that are not valid UTF-8 (a Latin-1 name left from an old system): the JVM reads them as
 * U+FFFD, so they cannot be stored exactly. Two of them that differ only in such bytes used to fail the
 * whole backup ("entry 'bad\uFFFD' was added twice", shown by the CLI as "incomplete settings"), and a
 * single one was stored and restored under a changed name with no word said.
 */
class UndecodableNameTest {
  @TempDir Path tmp;

  @Test
  void namesThatAreNotUtf8AreReportedAndDoNotFailTheBackup() throws Exception {
    assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")), "file names decode as UTF-8");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("ok.txt"), "ok");
    // the raw bytes 'bad' 0xFE, 'bad' 0xFF and 'lat' 0xE9: a URI is the JDK's way to name raw bytes
    Files.writeString(raw(src, "bad%FE"), "fe");
    Files.writeString(raw(src, "bad%FF"), "ff");
    Files.writeString(raw(src, "lat%E9"), "latin-1");
    try (Repository repo = TestRepos.init(Storages.local(tmp.resolve("repo")))) {
      BackupReport report = repo.backup(List.of(FileSource.of(src)), BackupOptions.builder().build());
      assertThat(report.snapshot().complete()).as("not every name could be kept").isFalse();
      assertThat(String.join("\n", report.warnings()))
          .contains("bad%FE", "bad%FF", "lat%E9").contains("not valid UTF-8");
      Path dest = tmp.resolve("restored");
      repo.restore(RestoreRequest.builder().snapshot(report.snapshotId().hex()).destination(dest).build());
      assertThat(Files.readString(dest.resolve("ok.txt"))).isEqualTo("ok");
      // the one without a twin keeps its content under the name the JVM reads (what the warning says)
      assertThat(Files.readString(dest.resolve("lat\uFFFD"))).isEqualTo("latin-1");
    }
  }

  private static Path raw(Path dir, String escapedName) {
    return Path.of(URI.create(dir.toUri().toString() + escapedName));
  }
}
