package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pack cut short (full disk, interrupted copy to a rotation drive): 'cairn verify' must not exit 0. */
class VerifyTruncatedPackCommandTest {
  @TempDir Path dir;

  @Test
  void truncatedPackFailsThePlainVerify() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 4; i++) {
      byte[] b = new byte[1 << 20];
      random.nextBytes(b);
      Files.write(data.resolve("table-" + i + ".ibd"), b);
    }
    Cli cli = new Cli().env("CAIRN_REPOSITORY", dir.resolve("repo").toString()).env("CAIRN_PASSWORD", "pass");
    assertThat(cli.run("init").exitCode()).isZero();
    assertThat(cli.run("backup", data.toString()).exitCode()).isZero();
    Path pack;
    try (var files = Files.walk(dir.resolve("repo/data"))) {
      pack = files.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(pack);
    Files.write(pack, Arrays.copyOf(bytes, bytes.length / 2));

    Cli.Result restore = cli.run("restore", "latest", "--target", dir.resolve("out").toString());
    assertThat(restore.exitCode()).as("the data is really lost: " + restore.err()).isNotZero();
    Cli.Result verify = cli.run("verify");
    assertThat(verify.exitCode()).as("plain verify with a truncated pack: " + verify.out() + verify.err())
        .isEqualTo(ExitCodes.FAILURE);
    Cli.Result subset = cli.run("verify", "--read-data-subset", "1/1000");
    assertThat(subset.exitCode()).as("subset verify with a truncated pack: " + subset.out() + subset.err())
        .isEqualTo(ExitCodes.FAILURE);
  }
}
