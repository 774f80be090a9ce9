package dev.cairn.backup.cli;

import dev.cairn.backup.CopyReport;
import dev.cairn.backup.Repository;
import dev.cairn.backup.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn copy --from REPO --to REPO [SNAPSHOT...]}: copies snapshots the destination lacks,
 * transferring only the chunks it lacks; an interrupted copy resumes when run again.
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
    description = {"Copy snapshots (default: all) to another repository, transferring only what it lacks.",
        "The source passphrase comes from --password-file / CAIRN_PASSWORD_FILE / CAIRN_PASSWORD, the"
            + " destination's from --to-password-file / CAIRN_TO_PASSWORD_FILE / CAIRN_TO_PASSWORD."})
final class CopyCommand extends CairnSubcommand {

  @Option(names = "--from", paramLabel = "REPO",
      description = "The source repository (default: --repo / $CAIRN_REPOSITORY).")
  String from;

  @Option(names = "--to", paramLabel = "REPO", required = true, description = "The destination repository.")
  String to;

  @Option(names = "--to-password-file", paramLabel = "FILE",
      description = "Read the destination's passphrase from the first line of FILE (default:"
          + " $CAIRN_TO_PASSWORD_FILE, then $CAIRN_TO_PASSWORD, then a prompt).")
  Path toPasswordFile;

  @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
      description = "Snapshots to copy: 'latest', ids or id prefixes (default: every snapshot).")
  List<String> snapshots = new ArrayList<>();

  @Override
  int run() {
    String source = from != null ? from : location();
    Output out = output();
    CopyReport report;
    try (Repository src = root().repositoryBuilder(OtherRepository.existing(source, "--from / --repo"))
            .passphrase(root().passphrases().current(source)).open();
        Repository dst = OtherRepository.open(root(), "TO_", toPasswordFile, to, "--to");
        ProgressDisplay progress = progress("copy")) {
      report = src.copyTo(dst, snapshots, progress);
    }
    for (Snapshot s : report.copied()) {
      out.detail("copied snapshot %s (%s, %s)", s.id().shortHex(), s.time(), s.host());
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("from", source);
    summary.put("to", to);
    summary.put("copied", report.copied().stream().map(s -> s.id().hex()).toList());
    summary.put("already_present", report.alreadyPresent().stream().map(s -> s.id().hex()).toList());
    summary.put("shared_chunking", report.sharedChunking());
    summary.put("blobs_copied", report.blobsCopied());
    summary.put("bytes_copied", report.bytesCopied());
    summary.put("bytes_stored", report.bytesStored());
    summary.put("duration_seconds", report.duration().toMillis() / 1000.0);
    summary.put("unreadable", report.unreadable().stream().map(id -> id.hex()).toList());
    out.message("summary", summary);
    out.info("copied %d snapshots to %s (%d already there): %d chunks and trees, %s new, %s uploaded in %s",
        report.copied().size(), to, report.alreadyPresent().size(), report.blobsCopied(),
        Format.bytes(report.bytesCopied()), Format.bytes(report.bytesStored()), Format.duration(report.duration()));
    if (!report.sharedChunking() && !report.copied().isEmpty()) {
      out.info("note: the repositories chunk differently, so copies do not deduplicate against the destination's"
          + " own backups; create copy destinations with 'cairn init --copy-chunker-params-from REPO'");
    }
    if (!report.unreadable().isEmpty()) {
      // the copy of everything else is done; a copy job must still notice what it could not carry
      throw new dev.cairn.backup.IntegrityException(report.unreadable().size() + " snapshots of the source could not be"
          + " read and were not copied: " + report.unreadable().stream().map(id -> id.shortHex()).toList()
          + "; run 'cairn verify' on the source");
    }
    return ExitCodes.OK;
  }
}
