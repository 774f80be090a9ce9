package dev.cairn.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.BackupException;
import dev.cairn.backup.RepositoryLockedException;
import dev.cairn.backup.RepositoryNotFoundException;
import dev.cairn.backup.StorageException;
import dev.cairn.backup.WrongPassphraseException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The command tree, usage errors and the exit-code mapping, without a repository. */
class CommandLineTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Cli.Result r = new Cli().run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("init", "backup", "snapshots", "ls", "restore", "verify", "key", "stats")
        .contains("CAIRN_REPOSITORY", "CAIRN_PASSWORD")
        .contains("12   wrong passphrase", "10   no repository", "11   repository locked", "3    backup done");
  }

  @Test
  void subcommandHelpShowsItsOptions() {
    Cli.Result backup = new Cli().run("backup", "--help");
    assertThat(backup.exitCode()).isZero();
    assertThat(backup.out()).contains("--tag", "--exclude", "--stdin-from-command", "--stdin-filename", "--host", "PATH");
    Cli.Result restore = new Cli().run("restore", "--help");
    assertThat(restore.out()).contains("--target", "--include", "--overwrite");
    Cli.Result key = new Cli().run("key", "--help");
    assertThat(key.out()).contains("list", "add", "remove", "passwd");
  }

  @Test
  void theCompletionScriptCompletesCommandsSubcommandsAndOptionsInBash(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    Cli.Result r = new Cli().run("generate-completion");
    assertThat(r.exitCode()).as(r.err()).isZero();
    java.nio.file.Path script = java.nio.file.Files.writeString(dir.resolve("cairn-completion.bash"), r.out());
    String probe = "source " + script + "\n"
        + "complete_line() { COMP_LINE=\"$1\"; read -ra COMP_WORDS <<< \"$1\"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1));"
        + " COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _complete_cairn 2>/dev/null; echo \"${COMPREPLY[*]}\"; }\n"
        + "complete_line 'cairn rew'\ncomplete_line 'cairn repair sn'\ncomplete_line 'cairn verify --read-data-s'\n";
    Process bash = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).as(out).isZero();
    assertThat(out.lines().toList()).containsExactly("rewrite", "snapshots", "--read-data-subset");
  }

  @Test
  void unknownOptionIsAUsageErrorWithExitCodeOne() {
    Cli.Result r = new Cli().run("snapshots", "--bogus");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("Unknown option: '--bogus'").contains("cairn snapshots --help");
  }

  @Test
  void restoreWithoutTargetIsAUsageError() {
    Cli.Result r = new Cli().env("CAIRN_REPOSITORY", "/nonexistent").run("restore", "latest");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("--target");
  }

  @Test
  void noCommandPrintsUsageAndFails() {
    Cli.Result r = new Cli().run();
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("a command is required");
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheSubcommand() {
    CairnCommand before = parse("--repo", "/a", "--json", "snapshots");
    assertThat(before.repositoryLocation()).isEqualTo("/a");
    assertThat(before.json).isTrue();
    CairnCommand after = parse("key", "list", "-r", "/b", "-q");
    assertThat(after.repositoryLocation()).isEqualTo("/b");
    assertThat(after.quiet).isTrue();
  }

  @Test
  void repositoryComesFromTheEnvironmentWhenNotGiven() {
    var env = new CliEnvironment(java.util.Map.of("CAIRN_REPOSITORY", "/from/env"), new Cli.NoTerminal());
    var cl = CairnCommand.newCommandLine(env);
    cl.parseArgs("stats");
    assertThat(((CairnCommand) cl.getCommand()).repositoryLocation()).isEqualTo("/from/env");
  }

  @Test
  void remoteRepositorySchemesAreOnTheClassPath() {
    Cli.Result s3 = new Cli().env("CAIRN_PASSWORD", "x").run("snapshots", "--repo", "s3://bucket/prefix");
    assertThat(s3.err()).doesNotContain("no storage provider");
    Cli.Result sftp = new Cli().env("CAIRN_PASSWORD", "x").run("snapshots", "--repo", "sftp://nobody@127.0.0.1:1/x?key=/nonexistent");
    assertThat(sftp.err()).doesNotContain("no storage provider");
    Cli.Result ftp = new Cli().env("CAIRN_PASSWORD", "x").run("snapshots", "--repo", "ftp://host/x");
    assertThat(ftp.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(ftp.err()).contains("no storage provider for scheme 'ftp'");
  }

  @Test
  void exitCodesFollowTheExceptionType() {
    assertThat(ExitCodes.of(new WrongPassphraseException("x"))).isEqualTo(12);
    assertThat(ExitCodes.of(new RepositoryLockedException("x"))).isEqualTo(11);
    assertThat(ExitCodes.of(new RepositoryNotFoundException("x"))).isEqualTo(10);
    assertThat(ExitCodes.of(new BackupException("wrapped", new RepositoryNotFoundException("x")))).isEqualTo(10);
    assertThat(ExitCodes.of(new StorageException("x", true))).isEqualTo(1);
    assertThat(ExitCodes.of(new IllegalStateException("x"))).isEqualTo(1);
  }

  @Test
  void errorsShowAMessageAndNoStackTraceUnlessVerbose() {
    var handler = new ErrorHandler();
    var plain = errorOutput(handler, new RepositoryLockedException("repository /r is locked by backup on host a; retry later"), false);
    assertThat(plain).isEqualTo("cairn: repository /r is locked by backup on host a; retry later\n");
    var verbose = errorOutput(handler, new RepositoryLockedException("locked"), true);
    assertThat(verbose).contains("cairn: locked").contains("at dev.cairn.backup.cli");
    var settings = errorOutput(handler, new IllegalStateException("no region for bucket 'b'; set ?region="), false);
    assertThat(settings).startsWith("cairn: incomplete settings: no region for bucket 'b'").doesNotContain("bug");
    var bug = errorOutput(handler, new NullPointerException("boom"), false);
    assertThat(bug).contains("unexpected error: NullPointerException: boom", "--verbose").doesNotContain("\tat ");
  }

  /**
   * A full disk, here as 'cairn forget --prune' meets it on a repository disk filled to the last byte: the
   * lock cannot be written. Every error says what to do (ErrorHandler's contract); this one said only "No
   * space left on device", and no command that takes a lock can make room.
   */
  @Test
  void aFullDiskSaysHowToMakeRoom() {
    var failure = new StorageException("could not write locks/2213942a to local:/srv/backup/cairn:"
        + " java.io.IOException: No space left on device", false, new IOException("No space left on device"));
    var out = errorOutput(new ErrorHandler(), failure, false);
    assertThat(out).startsWith("cairn: could not write locks/2213942a to local:/srv/backup/cairn")
        .contains("free some space", "--max-unused unlimited", "runbook.md");
  }

  @Test
  void onlyTheNamedSubcommandsAreBuiltAndParsingIsUnchanged() {
    var env = new CliEnvironment(java.util.Map.of(), new Cli.NoTerminal());
    String[] args = {"-r", "repo", "snapshots", "--json"};
    var cl = CairnCommand.newCommandLine(new CairnCommand(env), args);
    assertThat(cl.getSubcommands().keySet()).containsExactly("snapshots");
    var parsed = cl.parseArgs(args);
    assertThat(parsed.matchedOptionValue("-r", "")).isEqualTo("repo");
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("snapshots");
    // a value spelled like a subcommand: that subcommand is built too, so picocli answers as with all of them
    String[] odd = {"-r", "backup", "snapshots"};
    var lazy = CairnCommand.newCommandLine(new CairnCommand(env), odd);
    assertThat(lazy.getSubcommands().keySet()).containsExactlyInAnyOrder("backup", "snapshots");
    var full = CairnCommand.newCommandLine(new CairnCommand(env));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> lazy.parseArgs(odd)))
        .hasMessage(org.assertj.core.api.Assertions.catchThrowable(() -> full.parseArgs(odd)).getMessage());
    assertThat(CairnCommand.newCommandLine(new CairnCommand(env), new String[] {"--help"}).getSubcommands())
        .as("usage help lists every subcommand").hasSameSizeAs(full.getSubcommands()).containsKeys("dump", "diff");
    assertThat(CairnCommand.newCommandLine(new CairnCommand(env), new String[] {"-r", "x"}).getSubcommands())
        .hasSameSizeAs(full.getSubcommands());
  }

  private static String errorOutput(ErrorHandler handler, Exception failure, boolean verbose) {
    var err = new java.io.StringWriter();
    var cl = CairnCommand.newCommandLine(new CliEnvironment(java.util.Map.of(), new Cli.NoTerminal()));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.parseArgs(verbose ? new String[] {"-v"} : new String[0]);
    int code = handler.handleExecutionException(failure, cl, null);
    assertThat(code).isEqualTo(ExitCodes.of(failure));
    return err.toString();
  }

  private static CairnCommand parse(String... args) {
    var cl = CairnCommand.newCommandLine(new CliEnvironment(java.util.Map.of(), new Cli.NoTerminal()));
    cl.parseArgs(args);
    return (CairnCommand) cl.getCommand();
  }
}
