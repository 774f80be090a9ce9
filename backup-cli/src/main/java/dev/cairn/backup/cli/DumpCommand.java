package dev.cairn.backup.cli;

import dev.cairn.backup.DumpRestorer;
import dev.cairn.backup.ProgressListener;
import dev.cairn.backup.Repository;
import dev.cairn.backup.RestoreException;
import dev.cairn.backup.RestoreReport;
import dev.cairn.backup.RestoreRequest;
import dev.cairn.backup.Snapshot;
import dev.cairn.backup.spi.EntryMetadata;
import dev.cairn.backup.spi.EntryType;
import dev.cairn.backup.spi.RestoreResult;
import dev.cairn.backup.spi.VerificationResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.commons.io.output.CloseShieldOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn dump SNAPSHOT PATH}: writes a file of a snapshot to stdout (or a file), or a directory or
 * whole source as a tar archive, checking every chunk as it is read: {@code cairn dump latest app.sql |
 * mysql app}.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
    description = "Write a file of a snapshot to stdout, or a directory (or a whole source) as a tar archive;"
        + " every chunk is verified.")
final class DumpCommand extends CairnSubcommand {
  private static final String NOT_TO_TERMINAL = "a tar archive is not written to a terminal: redirect standard output"
      + " (> FILE.tar, | tar -x) or give -o FILE";

  @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "'latest', a snapshot id or a unique prefix of one.")
  String snapshot;

  @Parameters(index = "1", paramLabel = "PATH",
      description = "A file (its bytes), a directory or a source name (a tar archive), as 'cairn ls' shows paths;"
          + " '/' for the whole snapshot (each source under its name when there are several).")
  String path;

  @Option(names = "--tar", description = "Write a tar archive even when PATH is a file.")
  boolean tar;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE (which must not exist) instead of stdout.")
  Path output;

  @Option(names = "--host", paramLabel = "HOST", description = "With 'latest': the newest snapshot taken on HOST.")
  String host;

  @Override
  int run() throws IOException {
    if (output != null && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new RestoreException(output + " already exists: give a new file name, or remove it first");
    }
    boolean terminal = output == null && environment().terminal().stdoutIsTerminal();
    RestoreReport report;
    // with --json, progress goes to stdout, and a terminal showing the file shows stderr too: no progress
    // display at all (not even its ticker) while stdout carries the dump in either way
    boolean quiet = output == null && (output().json() || terminal);
    try (Repository repo = openRepository(); ProgressDisplay display = quiet ? null : progress("dump")) {
      ProgressListener progress = display == null ? ProgressListener.NONE : display;
      Snapshot chosen = RestoreCommand.resolve(repo, snapshot, host, location());
      if (path.replaceAll("^/+|/+$", "").isEmpty() && chosen.sources().size() > 1) {
        // the whole snapshot: one archive, each source under its name, as a restore lays them out
        if (terminal) {
          throw new RestoreException(NOT_TO_TERMINAL);
        }
        report = write(out -> {
          DumpRestorer.Archive archive = DumpRestorer.archive(out);
          RestoreRequest.Builder request = RestoreRequest.builder().snapshot(chosen.id()).progress(progress);
          chosen.sources().forEach(s -> request.restorer(s.name(), archive.source(s.name())));
          RestoreReport r = repo.restore(request.build());
          archive.close(); // only now: a dump that failed part-way must not end like a complete archive
          return r;
        });
      } else {
        SnapshotPaths.Selection selection = select(repo, chosen);
        if (tar && terminal) {
          throw new RestoreException(NOT_TO_TERMINAL);
        }
        report = write(out -> {
          // names in an archive are the paths 'cairn ls' shows, so it unpacks as a restore lays it out
          DumpRestorer restorer = DumpRestorer.of(selection.path(), out)
              .under(chosen.sources().size() == 1 ? "" : selection.source());
          if (tar) {
            restorer = restorer.archive();
          } else if (terminal) {
            restorer = restorer.fileOnly(NOT_TO_TERMINAL); // a file may be shown, an archive is not
          }
          return repo.restore(RestoreRequest.builder().snapshot(chosen.id()).source(selection.source())
              .path(selection.path()).restorer(selection.source(), restorer).progress(progress).build());
        });
      }
    }
    Output out = output();
    for (RestoreResult result : report.results()) {
      for (VerificationResult v : result.results()) {
        if (!v.ok()) {
          out.warn("verification of %s in %s: %s %s", v.item(), result.source(), v.status(), v.message());
        }
      }
    }
    if (!report.verified()) {
      throw new RestoreException("the dumped data of snapshot " + report.snapshot().id().shortHex()
          + " does not match what was recorded at backup time (see the warnings above); do not use it, and run"
          + " 'cairn verify --read-data'" + (output == null ? "" : "; " + output + " was removed"));
    }
    if (output != null) {
      out.info("wrote %s of snapshot %s to %s", Format.bytes(report.bytes()), report.snapshot().id().shortHex(), output);
    }
    return ExitCodes.OK;
  }

  /** What writes the dump to a stream. */
  @FunctionalInterface
  private interface Dump {
    RestoreReport to(OutputStream out) throws IOException;
  }

  /**
   * Runs {@code dump} into stdout or the -o file, telling a failed write (reader gone, disk full) from
   * a failed read, and removing the -o file unless the dump completed and verified.
   */
  private RestoreReport write(Dump dump) throws IOException {
    OutputStream target = open();
    WatchedOutput out = new WatchedOutput(target);
    boolean keep = false;
    try (target) {
      RestoreReport report = dump.to(out);
      keep = report.verified();
      return report;
    } catch (RestoreException | IOException e) {
      if (out.failure != null) {
        // the reader is gone (| head) or the disk is full: say so, without a stack trace
        throw new RestoreException("cannot write to " + (output == null ? "standard output" : output.toString())
            + " after " + out.written + " bytes: " + out.failure.getMessage() + "; the dump stopped", e);
      }
      throw e;
    } finally {
      if (!keep && output != null) {
        Files.deleteIfExists(output); // created by open() above: no half-written or unverified file is left
      }
    }
  }

  /** Counts what was written and keeps the first write failure, to tell it from a read failure. */
  private static final class WatchedOutput extends java.io.FilterOutputStream {
    long written;
    IOException failure;

    WatchedOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
        written += len;
      } catch (IOException e) {
        failure = failure == null ? e : failure;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
        throw e;
      }
    }

    @Override
    public void close() {
      // the caller closes the stream it opened
    }
  }

  /**
   * The source and path PATH names. A name that is both a source and the one entry in it (a command's
   * output stored as NAME in a source named NAME) means that entry; '/' still means the whole source.
   */
  private SnapshotPaths.Selection select(Repository repo, Snapshot chosen) {
    SnapshotPaths.Selection selection = SnapshotPaths.select(repo, chosen, path);
    String given = path.replaceAll("^/+|/+$", "");
    if (selection.path().isEmpty() && !given.isEmpty()
        && chosen.source(selection.source()).map(s -> s.entries() == 1).orElse(false)) {
      // a source of one file, named by the source's name (a command's output, one backed-up file): the file
      List<EntryMetadata> entries = repo.entries(chosen, selection.source(), ""); // one tree: cheap
      if (entries.size() == 1 && entries.get(0).type() == EntryType.FILE) {
        return new SnapshotPaths.Selection(selection.source(), entries.get(0).path());
      }
    }
    return selection;
  }

  private OutputStream open() throws IOException {
    if (output != null) {
      return new BufferedOutputStream(Files.newOutputStream(output, StandardOpenOption.CREATE_NEW), 1 << 16);
    }
    return CloseShieldOutputStream.wrap(environment().stdout()); // stdout stays open
  }
}
